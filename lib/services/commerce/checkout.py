"""Buying from the shop, following the pre-order pattern (lib/services/campaigns.place_preorder).

Reserve the units (conditional updates on the listing and on the buyer's count, so concurrent
buyers can neither oversell nor pass a drop's per-account limit) and insert the order PENDING, and
commit; then, with no transaction open, save the card and charge it with an idempotency key; then
record the outcome in a new transaction. A charge whose outcome the provider did not report stays
pending, and release_stale_purchases asks the provider about it after 15 minutes."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from lib.domain.accounts import User
from lib.domain.campaigns import ShippingAddress
from lib.domain.errors import RequestInProgress, found
from lib.domain.money import Money
from lib.domain.orders import (
    SOLD,
    DropNotStarted,
    Listing,
    ListingStatus,
    ListingUnavailable,
    NewOrder,
    OrderSource,
    OrderStatus,
    OutOfStock,
    PurchaseLimitReached,
    check_buy_quantity,
)
from lib.domain.permissions import can_write, require
from lib.domain.shop import ChargeDeclined, PaymentInDoubt
from lib.services.context import AppContext
from lib.services.ledger import books, referrals
from lib.services.messaging.notifications import notify
from lib.services.payments import once
from lib.services.payments.cards import payment_gateway, save_card
from lib.services.payments.keys import KeyFor, Step, payment_key
from lib.services.payments.ports import ChargeResult, PaymentMethodRefused, PaymentUnavailable
from lib.services.routes import listing_link

log = logging.getLogger(__name__)
PURCHASE_TIMEOUT = timedelta(minutes=15)


def charge_key(ctx: AppContext, order_id: int) -> str:
    return payment_key(ctx, KeyFor.SHOP_ORDER, order_id, Step.CHARGE)


def _action(listing_id: int | None) -> str:
    return f"buy:{listing_id}"


@dataclass(frozen=True)
class _Reservation:
    order_id: int
    listing: Listing
    quantity: int
    amount: Money
    replayed: bool = False


def _reserve(ctx: AppContext, user: User, listing_id: int, quantity: int, address: ShippingAddress,
             gateway_name: str, request_key: str | None) -> _Reservation:
    now = ctx.now()
    with ctx.uow() as uow:
        replay = once.claim(ctx, uow, user.id, _action(listing_id), request_key)
        if replay is not None:  # the same form sent again: the first purchase, once it is paid
            first = uow.orders.get(replay.result_id or 0)
            if first is None or first.status not in SOLD:
                raise RequestInProgress()
            return _Reservation(first.id, found(uow.shop.listing(listing_id)), first.quantity, first.amount, True)
        listing = found(uow.shop.listing(listing_id))
        if listing.status is not ListingStatus.ACTIVE or listing.hidden:
            raise ListingUnavailable()
        if not listing.started(now):
            raise DropNotStarted()
        limit = listing.per_account_limit
        if not uow.shop.reserve_buyer_units(listing_id, user.id, quantity, limit):
            left = max(0, (limit or 0) - uow.shop.buyer_units(listing_id, user.id))
            raise PurchaseLimitReached(limit=limit, left=left)
        if not uow.shop.reserve_stock(listing_id, quantity, now):
            now_left = uow.shop.listing(listing_id)
            raise OutOfStock(left=now_left.units_left if now_left else 0)
        amount = listing.price.times(quantity)
        order_id = uow.orders.add(NewOrder(
            source=OrderSource.SHOP, buyer_id=user.id, maker_id=listing.maker_id, idea_id=listing.idea_id,
            campaign_id=listing.campaign_id, listing_id=listing.id, title=listing.title, quantity=quantity,
            unit_price=listing.price, amount=amount, status=OrderStatus.PENDING,
            referrer_id=referrals.attributed_referrer(uow, user.id, now), gateway=gateway_name, address=address,
            created_at=now))
        once.record(uow, user.id, request_key, order_id)
        uow.commit()
    return _Reservation(order_id, listing, quantity, amount)


def buy_now(ctx: AppContext, actor: User | None, listing_id: int, *, quantity: int, address: ShippingAddress,
            card: str | None = None, setup_ref: str | None = None, request_key: str | None = None) -> int:
    """Buy from a listing and pay at once. Declined: nothing is charged and the units go back.
    Sent again with the same `request_key`, it returns the first purchase instead of buying twice."""
    user = require(can_write, actor)
    check_buy_quantity(quantity)
    once.check_key(request_key)
    gateway = payment_gateway(ctx)
    held = _reserve(ctx, user, listing_id, quantity, address, gateway.name, request_key)
    if held.replayed:
        return held.order_id
    key = charge_key(ctx, held.order_id)
    try:
        saved = save_card(ctx, user, setup_ref, card, payment_key(ctx, KeyFor.SHOP_ORDER, held.order_id, Step.SETUP))
    except (PaymentMethodRefused, PaymentUnavailable):
        _cancel(ctx, held.order_id, "card not saved")
        raise
    with ctx.uow() as uow:
        ready = uow.orders.move(held.order_id, [OrderStatus.PENDING], OrderStatus.PENDING, ctx.now(),
                                customer_ref=saved.customer_ref, method_ref=saved.method_ref, card_brand=saved.brand,
                                card_last4=saved.last4, payment_key=key)
        uow.commit()
    if not ready:  # the reservation lapsed meanwhile and was given back
        raise ListingUnavailable()
    try:
        result = gateway.charge(saved.customer_ref, saved.method_ref, held.amount, key,
                                f"{held.listing.title} × {quantity}",
                                {"order_id": str(held.order_id), "attempt_key": key})
    except PaymentUnavailable as exc:
        log.warning("charge of shop order %s is in doubt; the due-jobs runner reconciles it", held.order_id)
        raise PaymentInDoubt() from exc
    if result.status != "succeeded" or not result.payment_ref:
        _cancel(ctx, held.order_id, result.failure_message or result.failure_code or "declined")
        raise ChargeDeclined()
    if not _record_paid(ctx, held.order_id, result):
        raise ListingUnavailable()
    return held.order_id


def _record_paid(ctx: AppContext, order_id: int, result: ChargeResult) -> bool:
    """Mark a charged order paid, post its sale and tell the maker, in one transaction. False when
    the order was cancelled meanwhile: the charge is then refunded."""
    now = ctx.now()
    with ctx.uow() as uow:
        paid = uow.orders.move(order_id, [OrderStatus.PENDING], OrderStatus.PAID, now,
                               payment_ref=result.payment_ref, paid_at=now, failure_message=None)
        order = found(uow.orders.get(order_id))
        if paid:
            books.post_sale(ctx, uow, order)
            notify(ctx, uow, order.maker_id, "order_received", link=listing_link(order.listing_id or 0),
                   title=order.title, quantity=order.quantity)
        uow.commit()
    if paid or order.status in SOLD:
        return True
    log.error("shop order %s was charged after it was cancelled: refunding", order_id)
    if not result.payment_ref:
        log.error("the charge of shop order %s has no payment reference: refund it by hand", order_id)
        return False
    try:
        key = payment_key(ctx, KeyFor.SHOP_ORDER, order_id, Step.REFUND_LATE)
        payment_gateway(ctx).refund(result.payment_ref, order.amount, key)
    except PaymentUnavailable:
        log.error("refund of shop order %s failed: refund %s by hand", order_id, result.payment_ref)
    return False


def _cancel(ctx: AppContext, order_id: int, reason: str) -> bool:
    """A pending purchase that was not paid: cancelled, and its units given back (once)."""
    with ctx.uow() as uow:
        order = uow.orders.get(order_id)
        cancelled = order is not None and uow.orders.move(order_id, [OrderStatus.PENDING], OrderStatus.CANCELLED,
                                                          ctx.now(), failure_message=reason[:300])
        if cancelled and order is not None and order.listing_id is not None:
            uow.shop.release_stock(order.listing_id, order.quantity)
            uow.shop.release_buyer_units(order.listing_id, order.buyer_id, order.quantity)
            once.forget(uow, order.buyer_id, _action(order.listing_id), order_id)  # nothing bought: may retry
        uow.commit()
    return cancelled


def release_stale_purchases(ctx: AppContext) -> int:
    """Purchases pending for 15 minutes (a crash or a provider that never answered): ask the provider
    for the charge by its key; charged ones are marked paid, the rest cancelled and given back."""
    gateway = ctx.payments
    if gateway is None:
        return 0
    with ctx.uow(write=False) as uow:
        stale = uow.shop.stale_pending(ctx.now() - PURCHASE_TIMEOUT)
        customers = {o.buyer_id: uow.campaigns.customer_ref(o.buyer_id, gateway.name) for o in stale}
    resolved = 0
    for order in stale:
        customer = customers.get(order.buyer_id)
        try:
            known = gateway.find_charge(customer, charge_key(ctx, order.id)) if customer else None
        except PaymentUnavailable:
            continue  # still unknown: the next run asks again
        if known is not None and known.status == "succeeded" and known.payment_ref:
            resolved += _record_paid(ctx, order.id, known)
        else:
            resolved += _cancel(ctx, order.id, "payment not completed")
    return resolved
