"""Verified-buyer reviews (a rating of 1-5 once per delivered order; the maker may reply) and
"running low?" reminders for consumables, timed from each buyer's own purchase interval."""

from __future__ import annotations

from itertools import groupby

from lib.domain.accounts import User
from lib.domain.errors import NotFound
from lib.domain.orders import AlreadyReviewed, NewReview, NotDelivered, OrderStatus, check_rating
from lib.domain.permissions import can_reply_to_review, can_review_order, can_write, require
from lib.domain.shop import check_reply, reorder_due
from lib.services.commerce.ports import ConsumablePurchase
from lib.services.context import AppContext
from lib.services.messaging.notifications import notify
from lib.services.routes import listing_link


def add_review(ctx: AppContext, actor: User | None, order_id: int, rating: int, body: str = "") -> int:
    """Review a delivered purchase of one's own, once; the maker is told."""
    user = require(can_write, actor)
    rating, body = check_rating(rating, body)
    with ctx.uow() as uow:
        order = uow.orders.get(order_id)
        if order is None or not can_review_order(user, order):
            raise NotDelivered()  # a review needs a purchase of one's own: say so, reveal nothing else
        if uow.shop.review_for_order(order_id) is not None:
            raise AlreadyReviewed()
        listing = (uow.shop.listing(order.listing_id) if order.listing_id is not None
                   else uow.shop.listing_for_campaign(order.campaign_id) if order.campaign_id is not None
                   else None)
        if order.status is not OrderStatus.DELIVERED or listing is None:
            raise NotDelivered()
        review_id = uow.shop.add_review(NewReview(order_id=order_id, listing_id=listing.id, user_id=user.id,
                                                  rating=rating, body=body, created_at=ctx.now()))
        if review_id is None:  # a concurrent submission of the same review won
            raise AlreadyReviewed()
        notify(ctx, uow, listing.maker_id, "review_received", link=listing_link(listing.id), title=listing.title,
               rating=rating)
        uow.commit()
    return review_id


def reply_to_review(ctx: AppContext, actor: User | None, review_id: int, body: str) -> None:
    """The listing's maker answers a review (a later reply replaces the earlier one)."""
    user = require(can_write, actor)
    body = check_reply(body)
    with ctx.uow() as uow:
        review = uow.shop.review(review_id)
        listing = uow.shop.listing(review.listing_id) if review is not None else None
        if review is None or listing is None:
            raise NotFound()
        require(can_reply_to_review, user, listing)
        uow.shop.reply_to_review(review_id, body, ctx.now())
        notify(ctx, uow, review.user_id, "review_replied", link=listing_link(listing.id), title=listing.title)
        uow.commit()


def _by_buyer(rows: list[ConsumablePurchase]) -> list[list[ConsumablePurchase]]:
    return [list(group) for _, group in groupby(rows, key=lambda r: (r.listing_id, r.buyer_id))]


def send_running_low_reminders(ctx: AppContext) -> int:
    """For each buyer of a consumable: due = last purchase + the median of their own intervals
    (the listing's reorder days after a single purchase). Once per purchase, whoever runs it."""
    now = ctx.now()
    with ctx.uow(write=False) as uow:
        rows = uow.shop.consumable_purchases()
    sent = 0
    for purchases in _by_buyer(rows):
        last = purchases[-1]
        if last.reminded or now < reorder_due([p.paid_at for p in purchases], last.reorder_days):
            continue  # not due, or already told (no write transaction for it on every run)
        with ctx.uow() as uow:
            if uow.shop.add_reminder(last.buyer_id, last.listing_id, last.order_id, now):
                notify(ctx, uow, last.buyer_id, "running_low", link=listing_link(last.listing_id), title=last.title)
                sent += 1
            uow.commit()
    return sent
