"""Payouts: payees request what they are owed; admins send it and mark it paid, or decline."""

from __future__ import annotations

from lib.domain.accounts import User
from lib.domain.errors import InvalidInput, found
from lib.domain.ledger import (
    Payout,
    PayoutStatus,
    can_decide_payouts,
    can_read_payables,
    check_payout_amount,
    clean_payout_note,
    clean_transfer_ref,
    payout_postings,
)
from lib.domain.money import Money
from lib.domain.orders import InsufficientBalance
from lib.domain.permissions import can_write, is_signed_in, require
from lib.services import audit
from lib.services.context import AppContext
from lib.services.messaging.notifications import money_param, notify
from lib.services.payments import once
from lib.services.routes import Screen, href
from lib.services.uow import AbstractUnitOfWork


def _balance(uow: AbstractUnitOfWork, user_id: int, currency: str) -> int:
    return int(sum(uow.ledger.balances(user_id, currency).values()))


def request_payout(ctx: AppContext, actor: User | None, amount: Money, request_key: str | None = None) -> int:
    """Ask for (part of) my available balance; the amount is reserved until an admin decides.
    Requests of one payee are serialised, so together they never exceed the balance. Sent again
    with the same `request_key`, it returns the first request instead of a second one."""
    user = require(can_write, actor)
    check_payout_amount(amount, ctx.currency)
    once.check_key(request_key)
    with ctx.uow() as uow:
        replay = once.claim(ctx, uow, user.id, "payout_request", request_key)
        if replay is not None:
            return int(found(uow.ledger.payout(replay.result_id or 0)).id)
        uow.ledger.lock_payee(user.id)
        available = _balance(uow, user.id, amount.currency) - uow.ledger.pending_payouts(user.id, amount.currency)
        if amount.amount > available:
            raise InsufficientBalance(max=Money(max(available, 0), amount.currency))
        payout_id = uow.ledger.add_payout(user.id, amount, ctx.now())
        once.record(uow, user.id, request_key, payout_id)
        uow.commit()
    return int(payout_id)


def _requested(uow: AbstractUnitOfWork, payout_id: int) -> Payout:
    payout = found(uow.ledger.payout(payout_id))
    if payout.status is not PayoutStatus.REQUESTED:
        raise InvalidInput("error.payout_decided")
    return payout


def mark_payout_paid(ctx: AppContext, actor: User | None, payout_id: int, transfer_ref: str,
                     request_key: str | None = None) -> None:
    """Admins: the money was sent (reference recorded); the payout is posted to the ledger once.
    Sent again with the same `request_key`, it is done already: nothing more happens."""
    admin = require(can_decide_payouts, actor)
    ref = clean_transfer_ref(transfer_ref)
    once.check_key(request_key)
    now = ctx.now()
    with ctx.uow() as uow:
        if once.claim(ctx, uow, admin.id, f"payout_paid:{payout_id}", request_key) is not None:
            return
        payout = _requested(uow, payout_id)
        uow.ledger.lock_payee(payout.user_id)
        currency = payout.amount.currency
        balances = uow.ledger.balances(payout.user_id, currency)
        if sum(balances.values()) < payout.amount.amount:  # a refund since the request shrank the balance
            raise InsufficientBalance(max=Money(max(sum(balances.values()), 0), currency))
        if not uow.ledger.decide_payout(payout_id, PayoutStatus.PAID, admin.id, now, transfer_ref=ref):
            raise InvalidInput("error.payout_decided")
        uow.ledger.add_transaction("payout", f"payout:{payout_id}", None, currency, f"payout {payout_id}", now,
                                   payout_postings(payout.user_id, payout.amount.amount, balances))
        notify(ctx, uow, payout.user_id, "payout_paid", link=href(Screen.EARNINGS), amount=money_param(payout.amount),
               reference=ref)
        audit.record(ctx, uow, admin, "mark_payout_paid", "payout", payout_id, user=payout.user_id,
                     amount=payout.amount.amount, currency=payout.amount.currency, transfer_ref=ref)
        once.record(uow, admin.id, request_key, payout_id)
        uow.commit()


def reject_payout(ctx: AppContext, actor: User | None, payout_id: int, note: str) -> None:
    """Admins decline a request with a reason; the amount becomes available again."""
    admin = require(can_decide_payouts, actor)
    reason = clean_payout_note(note)
    now = ctx.now()
    with ctx.uow() as uow:
        payout = _requested(uow, payout_id)
        if not uow.ledger.decide_payout(payout_id, PayoutStatus.REJECTED, admin.id, now, note=reason):
            raise InvalidInput("error.payout_decided")
        notify(ctx, uow, payout.user_id, "payout_rejected", link=href(Screen.EARNINGS),
               amount=money_param(payout.amount), note=reason)
        audit.record(ctx, uow, admin, "reject_payout", "payout", payout_id, reason, user=payout.user_id,
                     amount=payout.amount.amount, currency=payout.amount.currency)
        uow.commit()


def my_payouts(ctx: AppContext, actor: User | None) -> list[Payout]:
    """My payout requests, newest first."""
    user = require(is_signed_in, actor)
    with ctx.uow(write=False) as uow:
        return uow.ledger.payouts_for(user.id)


def payout_queue(ctx: AppContext, actor: User | None) -> list[tuple[Payout, Money]]:
    """Admins: every undecided request, oldest first, with the payee's current balance."""
    require(can_read_payables, actor)
    with ctx.uow(write=False) as uow:
        return [(p, Money(_balance(uow, p.user_id, p.amount.currency), p.amount.currency))
                for p in uow.ledger.requested_payouts()]
