"""Refunds, in full or in part, crash-safe the way settlement is.

The amount is claimed first — a refunds row (pending, with its idempotency key) and a conditional
`refunded + r <= amount` bump of the order, in one committed transaction — and only then is the
gateway called. Concurrent refunds therefore can never add up to more than was paid. The outcome
is recorded in a new transaction; if the gateway cannot be reached the claim is given back. A
process that dies after the call leaves the refund pending with its amount still claimed (the safe
side: nothing can be refunded twice)."""

from __future__ import annotations

from lib.domain.accounts import User
from lib.domain.errors import InvalidInput, PermissionDenied, RequestInProgress
from lib.domain.fulfilment import NewRefund, RefundStatus, clean_reason
from lib.domain.limits import check_amount
from lib.domain.money import Money
from lib.domain.orders import REFUNDABLE, Order, OrderStatus, RefundTooLarge
from lib.domain.permissions import can_refund_order, can_write, is_maker_of, require
from lib.services import audit
from lib.services.commerce.fulfilment import mark_fulfilled_if_done
from lib.services.context import AppContext
from lib.services.ledger import books
from lib.services.messaging.notifications import money_param, notify
from lib.services.payments import once
from lib.services.payments.keys import KeyFor, payment_key
from lib.services.payments.ports import PaymentUnavailable
from lib.services.routes import Screen, href
from lib.services.uow import AbstractUnitOfWork


def _amount(order: Order, amount: Money | None) -> Money:
    """The amount to refund: all that is left when none is given; never more than that."""
    refundable = order.refundable
    value = refundable if amount is None else amount
    if value.currency != refundable.currency:
        raise InvalidInput("error.currency_mismatch")
    if amount is not None:
        check_amount(value.amount, "error.refund_amount_positive")
    if value.amount <= 0 or value.amount > refundable.amount:
        raise RefundTooLarge(max=refundable)
    return value


def _action(order_id: int) -> str:
    return f"refund:{order_id}"


def refund_order(ctx: AppContext, actor: User | None, order_id: int, amount: Money | None = None,
                 reason: str = "", request_key: str | None = None) -> int:
    """Refund (part of) an order through the gateway: its maker or an admin (audited). Returns the
    refund id. Sent again with the same `request_key`, it returns the first refund's id instead."""
    user = require(can_write, actor)
    reason = clean_reason(reason)
    once.check_key(request_key)
    gateway = ctx.payments
    if gateway is None:
        raise PaymentUnavailable()
    now = ctx.now()
    with ctx.uow() as uow:
        replay = once.claim(ctx, uow, user.id, _action(order_id), request_key)
        if replay is not None:
            return _replayed(uow, order_id, replay)
        order = uow.orders.get(order_id)
        if order is None:  # reveal nothing about orders that are not the actor's
            raise PermissionDenied(action=can_refund_order.name)
        require(can_refund_order, user, order)
        value = _amount(order, amount)
        if not order.payment_ref:
            raise InvalidInput("error.refund_no_payment")
        if not uow.orders.claim_refund(order.id, value.amount, sorted(REFUNDABLE), now):
            latest = uow.orders.get(order.id)  # another refund got there first
            raise RefundTooLarge(max=(latest or order).refundable)
        key = payment_key(ctx, KeyFor.REFUND, order.id, uow.orders.refund_count(order.id) + 1)
        refund_id = uow.orders.add_refund(NewRefund(order_id=order.id, actor_id=user.id, amount=value,
                                                    status=RefundStatus.PENDING, idempotency_key=key, reason=reason,
                                                    created_at=now))
        once.record(uow, user.id, request_key, refund_id)
        if not is_maker_of(user, order):  # an admin refunding a maker's order: a staff action on money
            audit.record(ctx, uow, user, "refund_order", "order", order.id, reason, refund=refund_id,
                         amount=value.amount, currency=value.currency)
        uow.commit()
    try:
        result = gateway.refund(order.payment_ref, value, key)
    except PaymentUnavailable:
        with ctx.uow() as uow:
            if uow.orders.finish_refund(refund_id, RefundStatus.FAILED, None, ctx.now()):
                uow.orders.unclaim_refund(order.id, value.amount, ctx.now())
                once.forget(uow, user.id, _action(order.id), refund_id)  # nothing was refunded: may retry
            uow.commit()
        raise
    _record_success(ctx, refund_id, order.id, value, result.refund_ref)
    return int(refund_id)


def _replayed(uow: AbstractUnitOfWork, order_id: int, replay: once.Replay) -> int:
    """The refund a first submission with this key made (still with the gateway: RequestInProgress)."""
    refunds = uow.orders.refunds_for([order_id]).get(order_id, [])
    first = next((r for r in refunds if r.id == replay.result_id), None)
    if first is None or first.status is not RefundStatus.SUCCEEDED:
        raise RequestInProgress()
    return int(first.id)


def _record_success(ctx: AppContext, refund_id: int, order_id: int, value: Money, refund_ref: str) -> None:
    now = ctx.now()
    with ctx.uow() as uow:
        if uow.orders.finish_refund(refund_id, RefundStatus.SUCCEEDED, refund_ref, now):
            order = uow.orders.get(order_id)
            assert order is not None  # refunds reference their order
            books.post_refund(ctx, uow, order, refund_id, value)
            if uow.orders.refunded_total(order_id) >= order.amount.amount:
                uow.orders.move(order_id, sorted(REFUNDABLE), OrderStatus.REFUNDED, now)
                mark_fulfilled_if_done(ctx, uow, order.campaign_id)
            notify(ctx, uow, order.buyer_id, "order_refunded", link=href(Screen.MY_ORDERS), title=order.title,
                   amount=money_param(value))
        uow.commit()
