"""Orders and their fulfilment: paid pre-orders become orders; makers move them (paid -> in
production -> shipped); buyers confirm delivery, or the due-jobs runner does after a set number of
days. Refunds live in refunds.py, updates to buyers and the shipping list in buyer_updates.py."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from lib.domain.accounts import User
from lib.domain.campaigns import PreorderStatus, ShippingAddress
from lib.domain.errors import InvalidInput, NotFound, PermissionDenied, found
from lib.domain.fulfilment import MAKER_VISIBLE, MAX_BULK, BuyerOrder, MakerOrders, tracking_for
from lib.domain.ideas import IdeaStatus
from lib.domain.limits import parse_enum
from lib.domain.orders import SHOWN, NewOrder, OrderNotMovable, OrderSource, OrderStatus, can_maker_move, clean_tracking
from lib.domain.permissions import can_confirm_delivery, can_write, is_maker_of, is_signed_in, require
from lib.services.campaigns.makers import check_verified_maker
from lib.services.commerce.fulfilment import auto_confirm_days, mark_fulfilled_if_done, own_scope
from lib.services.context import AppContext
from lib.services.ideas.lifecycle import move_idea
from lib.services.ledger import books
from lib.services.messaging.notifications import notify
from lib.services.routes import Screen, href
from lib.services.uow import AbstractUnitOfWork

BATCH = 100
MAX_BATCHES = 20  # per job run: a large backlog is worked off over several runs


def order_from_preorder(ctx: AppContext, uow: AbstractUnitOfWork, preorder_id: int) -> int | None:
    """Inside the settlement transaction that marked a pre-order paid: its order (once), and the sale
    posted to the ledger. None when the pre-order is not paid."""
    existing = uow.orders.by_preorder(preorder_id)
    if existing is not None:
        return int(existing.id)
    preorder = uow.campaigns.preorder(preorder_id)
    if preorder is None or preorder.status is not PreorderStatus.PAID:
        return None
    campaign = uow.campaigns.campaign(preorder.campaign_id)
    if campaign is None:
        raise NotFound()  # a paid pre-order always has one (a foreign key); never half-make an order
    order_id = uow.orders.add(NewOrder(
        source=OrderSource.CAMPAIGN, buyer_id=preorder.user_id, maker_id=campaign.maker_id,
        idea_id=campaign.idea_id, campaign_id=campaign.id, preorder_id=preorder.id, title=campaign.title[:120],
        quantity=preorder.quantity, unit_price=preorder.unit_price, amount=preorder.amount, status=OrderStatus.PAID,
        referrer_id=preorder.referrer_id, gateway=preorder.gateway, customer_ref=preorder.customer_ref,
        method_ref=preorder.method_ref, card_brand=preorder.card_brand, card_last4=preorder.card_last4,
        payment_ref=preorder.payment_ref, address=preorder.address, created_at=ctx.now(),
        paid_at=preorder.updated_at))  # the pre-order last changed when it was marked paid
    books.post_sale(ctx, uow, found(uow.orders.get(order_id)))
    return int(order_id)


def sync_paid_preorders(ctx: AppContext) -> int:
    """Paid pre-orders without an order (a crash, or data from before orders existed) get theirs."""
    made = 0
    for _ in range(MAX_BATCHES):
        with ctx.uow() as uow:
            todo = uow.orders.paid_preorders_without_order(BATCH)
            made += sum(1 for preorder_id in todo if order_from_preorder(ctx, uow, preorder_id) is not None)
            uow.commit()
        if len(todo) < BATCH:
            break
    return made


# ---- makers ------------------------------------------------------------------------------------------


def maker_orders(ctx: AppContext, actor: User | None, status: OrderStatus | str | None = None,
                 campaign_id: int | None = None, listing_id: int | None = None) -> MakerOrders:
    """The verified maker's own orders (optionally of one status, campaign or listing), newest first,
    with the number in each status."""
    user = require(is_signed_in, actor)
    statuses = MAKER_VISIBLE if status is None else (parse_enum(OrderStatus, status, "error.order_status_unknown"),)
    if not set(statuses) <= set(MAKER_VISIBLE):
        raise InvalidInput("error.order_status_unknown")  # never paid: not an order anybody sees
    with ctx.uow(write=False) as uow:
        check_verified_maker(uow, user)
        own_scope(uow, user, campaign_id, listing_id, "maker_orders")
        counts = uow.orders.status_counts(maker_id=user.id, campaign_id=campaign_id, listing_id=listing_id)
        return MakerOrders(
            orders=uow.orders.for_maker_filtered(user.id, statuses, campaign_id, listing_id),
            counts={s: counts.get(s, 0) for s in MAKER_VISIBLE},
            sources=uow.orders.maker_sources(user.id, MAKER_VISIBLE))


def move_orders(ctx: AppContext, actor: User | None, order_ids: Sequence[int], to_status: OrderStatus | str,
                carrier: str | None = None, tracking: str | Mapping[int, str] | None = None) -> int:
    """Move one or many of the maker's own orders, all or nothing. Shipping needs a carrier and a
    tracking number (one for all, or one per order); the buyer is told."""
    user = require(can_write, actor)
    target = parse_enum(OrderStatus, to_status, "error.order_status_unknown")
    ids = list(dict.fromkeys(int(i) for i in order_ids))
    if not ids:
        raise InvalidInput("error.no_orders_selected")
    if len(ids) > MAX_BULK:
        raise InvalidInput("error.too_many_orders", max=MAX_BULK)
    shipping: dict[int, tuple[str, str]] = {}
    if target is OrderStatus.SHIPPED:
        shipping = {i: clean_tracking(carrier or "", number) for i, number in tracking_for(ids, tracking).items()}
    now = ctx.now()
    with ctx.uow() as uow:
        check_verified_maker(uow, user)
        found = [o for o in (uow.orders.get(i) for i in ids) if o is not None and is_maker_of(user, o)]
        if len(found) != len(ids):
            raise PermissionDenied(action="move_orders")  # says nothing of whose order it is
        for order in found:
            if not can_maker_move(order.status, target):
                raise OrderNotMovable(order=order.id)
        for order in found:
            values: dict[str, Any] = {}
            if target is OrderStatus.SHIPPED:
                values = {"carrier": shipping[order.id][0], "tracking_number": shipping[order.id][1],
                          "shipped_at": now}
            if not uow.orders.move(order.id, [order.status], target, now, **values):
                raise OrderNotMovable(order=order.id)  # moved meanwhile: nothing of this call is kept
            if target is OrderStatus.SHIPPED:
                notify(ctx, uow, order.buyer_id, "order_shipped", link=href(Screen.MY_ORDERS), title=order.title,
                       carrier=shipping[order.id][0], tracking=shipping[order.id][1])
        for idea_id in {o.idea_id for o in found if o.source is OrderSource.CAMPAIGN}:
            move_idea(uow, idea_id, IdeaStatus.IN_PRODUCTION, now)
        uow.commit()
    return len(ids)


# ---- buyers ------------------------------------------------------------------------------------------


def my_orders(ctx: AppContext, actor: User | None) -> list[BuyerOrder]:
    """Everything I bought (newest first), with its refunds and where to buy it again."""
    user = require(is_signed_in, actor)
    with ctx.uow(write=False) as uow:
        orders = [o for o in uow.orders.for_buyer(user.id) if o.status in SHOWN]
        refunds = uow.orders.refunds_for([o.id for o in orders])
        listed = uow.orders.listings_for_campaigns([o.campaign_id for o in orders if o.campaign_id is not None])
    return [BuyerOrder(o, refunds.get(o.id, []),
                       o.listing_id if o.listing_id is not None else listed.get(o.campaign_id or 0))
            for o in orders]


def confirm_delivery(ctx: AppContext, actor: User | None, order_id: int) -> None:
    """The buyer says a shipped order arrived; the maker is told."""
    user = require(can_write, actor)
    now = ctx.now()
    with ctx.uow() as uow:
        order = uow.orders.get(order_id)
        if order is None:
            raise PermissionDenied(action=can_confirm_delivery.name)
        require(can_confirm_delivery, user, order)
        if not uow.orders.move(order.id, [OrderStatus.SHIPPED], OrderStatus.DELIVERED, now, delivered_at=now):
            raise OrderNotMovable(order=order.id)
        notify(ctx, uow, order.maker_id, "order_delivered", link=href(Screen.MAKER_ORDERS), title=order.title,
               order=order.id)
        mark_fulfilled_if_done(ctx, uow, order.campaign_id)
        uow.commit()


def confirm_due_deliveries(ctx: AppContext) -> int:
    """Shipped orders the buyer never confirmed count as delivered after `auto_confirm_days`."""
    confirmed = 0
    for _ in range(MAX_BATCHES):
        now = ctx.now()
        with ctx.uow() as uow:
            due = uow.orders.shipped_before(now - timedelta(days=auto_confirm_days(uow)), BATCH)
            for order in due:
                if uow.orders.move(order.id, [OrderStatus.SHIPPED], OrderStatus.DELIVERED, now, delivered_at=now):
                    confirmed += 1
                    notify(ctx, uow, order.buyer_id, "order_auto_delivered", link=href(Screen.MY_ORDERS),
                           title=order.title)
            for campaign_id in {o.campaign_id for o in due if o.campaign_id is not None}:
                mark_fulfilled_if_done(ctx, uow, campaign_id)
            uow.commit()
        if len(due) < BATCH:
            break
    return confirmed


PAST_ADDRESSES = 5


def past_addresses(ctx: AppContext, actor: User | None) -> list[ShippingAddress]:
    """The addresses the signed-in account shipped to before (orders and pre-orders), newest first, each
    once, to offer at checkout. Only the account's own: nobody else's address is ever read here."""
    if actor is None:
        return []
    with ctx.uow(write=False) as uow:
        used = uow.orders.recent_addresses(actor.id, PAST_ADDRESSES)
    seen: set[tuple[str, ...]] = set()
    newest: list[ShippingAddress] = []
    for _when, address in sorted(used, key=lambda pair: pair[0], reverse=True):
        if address.same_place() not in seen:
            seen.add(address.same_place())
            newest.append(address)
    return newest[:PAST_ADDRESSES]
