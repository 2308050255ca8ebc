"""The double-entry ledger: every captured payment split once, refunds reversed proportionally,
earnings and statements per payee, payables for admins, and the fee rates admins set."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, replace

from lib.domain.accounts import User
from lib.domain.errors import InvalidInput
from lib.domain.ledger import (
    PAYEE_ACCOUNTS,
    REFERRER,
    Earnings,
    Payable,
    Rates,
    Shares,
    StatementRow,
    can_read_payables,
    reverse,
    split_sale,
)
from lib.domain.money import Money
from lib.domain.orders import Order, OrderSource, RefundTooLarge
from lib.domain.permissions import can_edit_settings, is_signed_in, require
from lib.i18n import translate
from lib.services import audit
from lib.services.context import AppContext
from lib.services.messaging.notifications import money_param, notify
from lib.services.reads import RATES
from lib.services.routes import Screen, href
from lib.services.uow import AbstractUnitOfWork

# Settings keys of each rate (the settings table holds text).
RATE_KEYS = {"platform_fee_bps": "rate_platform_fee_bps", "creator_royalty_bps": "rate_creator_royalty_bps",
             "co_creator_pool_bps": "rate_co_creator_pool_bps", "referral_bps": "rate_referral_bps",
             "payment_fee_bps": "rate_payment_fee_bps", "payment_fee_fixed": "rate_payment_fee_fixed"}
ROLE_KEYS = {"maker": "ledger.role.maker", "creator": "ledger.role.creator",
             "co_creator": "ledger.role.co_creator", "referrer": "ledger.role.referrer"}
SALE_KINDS = ("sale", "refund")


# ---- rates ------------------------------------------------------------------------------------


def rates(uow: AbstractUnitOfWork, currency: str = "USD") -> Rates:
    """The admin's rates, each falling back to its default (the fixed fee's depends on the currency)."""
    base = Rates.defaults(currency)
    stored = {field: int(raw) for field, key in RATE_KEYS.items()
              if (raw := uow.settings.get(key)) is not None and raw.strip().isdigit()}
    try:
        return replace(base, **stored).check()
    except InvalidInput:  # a hand-edited settings row must not stop sales: the defaults apply
        return base


def current_rates(ctx: AppContext) -> Rates:
    with ctx.uow(write=False) as uow:
        return rates(uow, ctx.currency)


def update_rates(ctx: AppContext, actor: User | None, **values: int) -> Rates:
    """Admins set the fee rates (basis points; the fixed fee in minor units). Later sales use them;
    campaigns keep the split their buyers were shown."""
    admin = require(can_edit_settings, actor)
    unknown = set(values) - set(RATE_KEYS)
    if unknown:
        raise InvalidInput("error.rates_invalid")
    with ctx.uow() as uow:
        new = replace(rates(uow, ctx.currency), **values).check()
        for field, key in RATE_KEYS.items():
            uow.settings.put(key, str(getattr(new, field)))
        audit.record(ctx, uow, admin, "set_rates", "setting", 0, **asdict(new))
        uow.commit()
    ctx.reads.forget(RATES)
    return new


# ---- posting (inside the caller's transaction) -----------------------------------------------


def _shares(uow: AbstractUnitOfWork, order: Order, current: Rates) -> Shares:
    """Campaign orders: the per-unit split buyers were shown; shop orders: today's rates."""
    if order.source is OrderSource.CAMPAIGN and order.campaign_id is not None:
        campaign = uow.campaigns.campaign(order.campaign_id)
        if campaign is not None:
            return Shares.per_unit(campaign.platform_fee.amount, campaign.creator_royalty.amount,
                                   campaign.co_creator_pool.amount, order.quantity)
    return Shares.from_rates(order.amount.amount, current)


def post_sale(ctx: AppContext, uow: AbstractUnitOfWork, order: Order) -> None:
    """Inside the caller's transaction: the sale of a paid order, split (once per order)."""
    key = f"sale:{order.id}"
    if uow.ledger.posted(key):
        return
    currency = order.amount.currency
    current = rates(uow, currency)
    creator, co_creators = uow.ledger.sale_parties(order.idea_id)
    referrer = order.referrer_id if order.referrer_id not in (None, order.buyer_id) else None
    postings = split_sale(order.amount.amount, _shares(uow, order, current), current, maker_id=order.maker_id,
                          creator_id=creator, co_creator_ids=co_creators, referrer_id=referrer)
    booked = order.paid_at or ctx.now()  # the sale is booked when the money was taken
    if uow.ledger.add_transaction("sale", key, order.id, currency, order.title, booked, postings) is None:
        return
    commission = -sum(p.amount for p in postings if p.account == REFERRER)
    if referrer is not None and commission > 0:
        notify(ctx, uow, referrer, "referral_earned", link=href(Screen.EARNINGS),
               amount=money_param(Money(commission, currency)), title=order.title)


def post_refund(ctx: AppContext, uow: AbstractUnitOfWork, order: Order, refund_id: int, amount: Money) -> None:
    """Inside the caller's transaction: reverse `amount` of the order's sale proportionally
    (once per refund). Raises RefundTooLarge beyond what the ledger still holds of the order."""
    key = f"refund:{refund_id}"
    if amount.currency != order.amount.currency:
        raise InvalidInput("error.currency_mismatch")
    if amount.amount <= 0:
        raise InvalidInput("error.amount_positive")
    uow.ledger.lock_order(order.id)
    if uow.ledger.posted(key):
        return
    post_sale(ctx, uow, order)  # a refund reverses a posted sale (posted now if it never was)
    holdings = uow.ledger.order_holdings(order.id)
    left = sum(v for v in holdings.values() if v > 0)
    if amount.amount > left:
        raise RefundTooLarge(max=Money(left, amount.currency))
    uow.ledger.add_transaction("refund", key, order.id, amount.currency, order.title, ctx.now(),
                               reverse(holdings, amount.amount))


# ---- what payees and admins read -------------------------------------------------------------


def earnings_of(uow: AbstractUnitOfWork, user_id: int, currency: str) -> Earnings:
    owed = uow.ledger.owed_by_kind(user_id, currency)  # sales and refunds per role; payouts draw the balance down
    earned = {a: sum(v for (account, kind), v in owed.items() if account == a and kind in SALE_KINDS)
              for a in PAYEE_ACCOUNTS}
    return Earnings(by_role={a: Money(v, currency) for a, v in earned.items()},
                    balance=Money(sum(owed.values()), currency),
                    pending=Money(uow.ledger.pending_payouts(user_id, currency), currency))


def earnings(ctx: AppContext, actor: User | None) -> Earnings:
    """What I earned per role (net of refunds), my balance, my requested payouts and what is left."""
    user = require(is_signed_in, actor)
    with ctx.uow(write=False) as uow:
        return earnings_of(uow, user.id, ctx.currency)


def statement(ctx: AppContext, actor: User | None) -> list[StatementRow]:
    """Every ledger entry of mine in the deployment's currency, oldest first, with the running balance."""
    user = require(is_signed_in, actor)
    with ctx.uow(write=False) as uow:
        raw = uow.ledger.statement(user.id)
    rows, balance = [], 0
    for line in raw:
        if line.amount.currency != ctx.currency:
            continue
        balance -= line.amount.amount
        payout_id = int(line.dedupe_key.split(":", 1)[1]) if line.kind == "payout" else None
        rows.append(StatementRow(at=line.created_at, kind=line.kind, order_id=line.order_id, payout_id=payout_id,
                                 title=line.title or "", account=line.account,
                                 amount=Money(-line.amount.amount, ctx.currency), balance=Money(balance, ctx.currency)))
    return rows


def describe(row: StatementRow, lang: str) -> str:
    """What a statement row was for, in the reader's language."""
    if row.kind == "payout":
        return translate(lang, "ledger.row.payout", id=row.payout_id)
    if row.kind == "refund":
        return translate(lang, "ledger.row.refund", title=row.title)
    return row.title


def role_name(account: str, lang: str) -> str:
    return translate(lang, ROLE_KEYS[account]) if account in ROLE_KEYS else account


def _cell(text: str) -> str:
    """Text a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def statement_csv(ctx: AppContext, actor: User | None, lang: str = "en") -> str:
    """My statement as CSV: date, order, product, role, amount, running balance."""
    rows = statement(ctx, actor)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([translate(lang, "ledger.csv.date"), translate(lang, "ledger.csv.order"),
                     translate(lang, "ledger.csv.product"), translate(lang, "ledger.csv.role"),
                     translate(lang, "ledger.csv.amount", currency=ctx.currency),
                     translate(lang, "ledger.csv.balance", currency=ctx.currency)])
    for row in rows:
        writer.writerow([f"{row.at:%Y-%m-%d %H:%M}", row.order_id or "", _cell(describe(row, lang)),
                         role_name(row.account, lang), row.amount.major_text(), row.balance.major_text()])
    return out.getvalue()


def payables(ctx: AppContext, actor: User | None) -> list[Payable]:
    """Admins: everyone the platform owes, with their balance and requested payouts."""
    require(can_read_payables, actor)
    with ctx.uow(write=False) as uow:
        return uow.ledger.payables(ctx.currency)
