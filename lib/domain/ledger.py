"""The double-entry ledger as plain arithmetic: fee rates, the split of a sale into signed postings,
the proportional reversal of a refund, and payouts.

Entries are signed: a debit is positive, a credit negative, and every transaction sums to zero.
A sale of A debits cash A and credits the people and the platform what they are owed; a payee's
balance is minus the sum of their entries."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from enum import StrEnum

from lib.domain.errors import InvalidInput
from lib.domain.limits import check_amount
from lib.domain.money import MINOR_UNIT_EXPONENT, Money
from lib.domain.orders import RefundTooLarge
from lib.domain.permissions import is_active, is_admin
from lib.domain.text import one_line

BASIS_POINTS = 10_000
MAX_FIXED_FEE = 1_000_000  # minor units; a sanity bound for the fixed part of the payment fee
CASH, MAKER, PLATFORM, CREATOR, CO_CREATOR, REFERRER, PAYMENT_FEE = (
    "cash", "maker", "platform", "creator", "co_creator", "referrer", "payment_fee")
# Accounts that owe a person (they carry user_id), in the order a payout draws them down.
PAYEE_ACCOUNTS = (MAKER, CREATOR, CO_CREATOR, REFERRER)
ACCOUNTS = (CASH, *PAYEE_ACCOUNTS, PLATFORM, PAYMENT_FEE)

can_decide_payouts = is_admin & is_active
can_read_payables = is_admin

# An account: its name and, for payee accounts, the user it owes.
Account = tuple[str, int | None]


@dataclass(frozen=True)
class Posting:
    """One signed entry of a transaction: positive debits, negative credits."""

    account: str
    user_id: int | None
    amount: int

    @property
    def key(self) -> Account:
        return self.account, self.user_id


@dataclass(frozen=True)
class Rates:
    """The admin-set fee rates in basis points (1 % = 100) and the payment fee's fixed part."""

    platform_fee_bps: int = 1000
    creator_royalty_bps: int = 500
    co_creator_pool_bps: int = 100
    referral_bps: int = 300
    payment_fee_bps: int = 290
    payment_fee_fixed: int = 30  # minor units of the deployment's currency

    @classmethod
    def defaults(cls, currency: str) -> Rates:
        """The defaults; the fixed fee is 30 minor units, or none in a currency without minor units."""
        return cls(payment_fee_fixed=30 if MINOR_UNIT_EXPONENT.get(currency, 2) else 0)

    def check(self) -> Rates:
        """Every rate a whole number of basis points; the shares leave the maker something;
        the referral commission comes out of the platform fee, so it cannot exceed it."""
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise InvalidInput("error.rates_invalid")
        if max(self.platform_fee_bps, self.creator_royalty_bps, self.co_creator_pool_bps,
               self.referral_bps, self.payment_fee_bps) > BASIS_POINTS:
            raise InvalidInput("error.rate_range")
        if self.share_total_bps() >= BASIS_POINTS:
            raise InvalidInput("error.rates_total")
        if self.referral_bps > self.platform_fee_bps:
            raise InvalidInput("error.referral_above_platform")
        if self.payment_fee_fixed > MAX_FIXED_FEE:
            raise InvalidInput("error.payment_fee_fixed_range")
        return self

    def share_total_bps(self) -> int:
        return self.platform_fee_bps + self.creator_royalty_bps + self.co_creator_pool_bps

    def share_bps(self) -> dict[str, int]:
        """The shares in the form lib.domain.campaigns.breakdown takes."""
        return {"platform_fee": self.platform_fee_bps, "creator_royalty": self.creator_royalty_bps,
                "co_creator_pool": self.co_creator_pool_bps}


@dataclass(frozen=True)
class Shares:
    """What of a sale goes to the platform, the creator and the co-creator pool (the maker gets the rest)."""

    platform_fee: int
    creator_royalty: int
    co_creator_pool: int

    @classmethod
    def from_rates(cls, amount: int, rates: Rates) -> Shares:
        return cls(amount * rates.platform_fee_bps // BASIS_POINTS,
                   amount * rates.creator_royalty_bps // BASIS_POINTS,
                   amount * rates.co_creator_pool_bps // BASIS_POINTS)

    @classmethod
    def per_unit(cls, platform_fee: int, creator_royalty: int, co_creator_pool: int, quantity: int) -> Shares:
        """A campaign's shares: what buyers were shown per unit, times the quantity."""
        return cls(platform_fee * quantity, creator_royalty * quantity, co_creator_pool * quantity)


def split_pool(pool: int, people: Sequence[int]) -> list[tuple[int, int]]:
    """The pool shared evenly (rounded down); the leftover minor units go one each to the earliest."""
    if not people:
        return []
    each, left = divmod(pool, len(people))
    return [(person, each + (1 if i < left else 0)) for i, person in enumerate(people)]


def split_sale(amount: int, shares: Shares, rates: Rates, *, maker_id: int, creator_id: int,
               co_creator_ids: Sequence[int] = (), referrer_id: int | None = None) -> list[Posting]:
    """The postings of one captured payment: cash debited, every share credited, summing to zero.

    The referral commission is paid out of the platform fee (never more than it); the payment fee
    (rate plus fixed part) out of the maker's remainder (never more than it). Without co-creators
    the pool goes to the creator. Zero amounts are left out."""
    if amount <= 0:
        raise InvalidInput("error.amount_positive")
    platform = min(max(shares.platform_fee, 0), amount)
    royalty = min(max(shares.creator_royalty, 0), amount - platform)
    pool = min(max(shares.co_creator_pool, 0), amount - platform - royalty)
    referral = min(amount * rates.referral_bps // BASIS_POINTS, platform) if referrer_id is not None else 0
    maker_share = amount - platform - royalty - pool
    payment_fee = min(amount * rates.payment_fee_bps // BASIS_POINTS + rates.payment_fee_fixed, maker_share)
    credits = [Posting(MAKER, maker_id, maker_share - payment_fee), Posting(PAYMENT_FEE, None, payment_fee),
               Posting(PLATFORM, None, platform - referral), Posting(CREATOR, creator_id, royalty)]
    if co_creator_ids:
        credits += [Posting(CO_CREATOR, person, share) for person, share in split_pool(pool, co_creator_ids)]
    else:
        credits.append(Posting(CREATOR, creator_id, pool))
    if referrer_id is not None:
        credits.append(Posting(REFERRER, referrer_id, referral))
    return [Posting(CASH, None, amount), *merge(Posting(p.account, p.user_id, -p.amount) for p in credits)]


def merge(postings: Iterable[Posting]) -> list[Posting]:
    """Postings to the same account added together, first-seen order kept, zeros dropped."""
    totals: dict[Account, int] = {}
    for p in postings:
        totals[p.key] = totals.get(p.key, 0) + p.amount
    return [Posting(account, user, value) for (account, user), value in totals.items() if value]


def allocate_refund(remaining: Mapping[Account, int], refund: int) -> dict[Account, int]:
    """How much of `refund` each credited account gives back, in proportion to what it still holds
    of the sale: floor of its exact share, then the leftover minor units one each to the largest
    fractional parts (earliest first on ties). Never more than an account holds; refunding all
    that remains returns every account to exactly zero."""
    held = {k: v for k, v in remaining.items() if v > 0}
    total = sum(held.values())
    if refund <= 0:
        raise InvalidInput("error.amount_positive")
    if refund > total:
        raise RefundTooLarge(max=total)
    taken = {k: v * refund // total for k, v in held.items()}
    leftover = refund - sum(taken.values())
    order = sorted(held, key=lambda k: -(held[k] * refund % total))
    for k in order[:leftover]:
        taken[k] += 1
    return taken


def reverse(remaining: Mapping[Account, int], refund: int) -> list[Posting]:
    """The postings of a refund: cash credited, each share debited back by its allocation."""
    back = allocate_refund(remaining, refund)
    return [Posting(CASH, None, -refund), *merge(Posting(a, u, v) for (a, u), v in back.items())]


def payout_postings(user_id: int, amount: int, balances: Mapping[str, int]) -> list[Posting]:
    """A payout: the payee's accounts debited (drawn down in PAYEE_ACCOUNTS order, each to at most
    its balance, the last one taking any rest) and cash credited."""
    left, debits = amount, []
    for i, account in enumerate(PAYEE_ACCOUNTS):
        last = i == len(PAYEE_ACCOUNTS) - 1
        take = left if last else min(left, max(balances.get(account, 0), 0))
        if take:
            debits.append(Posting(account, user_id, take))
            left -= take
    return [*debits, Posting(CASH, None, -amount)]


_TRANSFER_REF = re.compile(r"[\w .:/#-]{1,120}")


def clean_transfer_ref(text: str) -> str:
    """The bank or provider reference of a transfer: plain words and digits, never markup."""
    ref = one_line(text, 120, required="error.transfer_ref_invalid", too_long="error.transfer_ref_invalid")
    if not _TRANSFER_REF.fullmatch(ref) or not any(c.isalnum() for c in ref):
        raise InvalidInput("error.transfer_ref_invalid")
    return ref


MAX_PAYOUT_NOTE = 500


def clean_payout_note(text: str) -> str:
    """Why a payout was declined: one line, required, at most 500 characters."""
    return one_line(text, MAX_PAYOUT_NOTE, required="error.payout_note", too_long="error.payout_note")


def check_payout_amount(amount: Money, currency: str) -> Money:
    """What a payee asks to be paid: the deployment's currency, above zero, within MAX_AMOUNT."""
    if amount.currency != currency:
        raise InvalidInput("error.currency_mismatch")
    check_amount(amount.amount, "error.payout_positive")
    return amount


class PayoutStatus(StrEnum):
    REQUESTED = "requested"  # reserves the amount: available = balance - requested
    PAID = "paid"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Payout:
    id: int
    user_id: int
    user_name: str
    amount: Money
    status: PayoutStatus
    note: str
    transfer_ref: str | None
    created_at: datetime
    decided_at: datetime | None


@dataclass(frozen=True)
class StatementRow:
    """One ledger entry of a payee, with what it was for and the balance after it."""

    at: datetime
    kind: str  # sale | refund | payout
    order_id: int | None
    payout_id: int | None
    title: str
    account: str
    amount: Money
    balance: Money


@dataclass(frozen=True)
class Earnings:
    """Net earnings per role (sales minus refunds), the balance owed, requested payouts, what is left."""

    by_role: dict[str, Money]
    balance: Money
    pending: Money

    @property
    def available(self) -> Money:
        return self.balance - self.pending


@dataclass(frozen=True)
class Payable:
    user_id: int
    name: str
    email: str
    balance: Money
    pending: Money

    @property
    def available(self) -> Money:
        return self.balance - self.pending
