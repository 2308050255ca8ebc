"""Verified-buyer reviews: only after a delivered purchase of one's own, once; the maker replies (both databases)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lib.adapters.db.schema import commerce as commerce_tables
from lib.domain.errors import InvalidInput, NotFound, PermissionDenied
from lib.domain.orders import AlreadyReviewed, NotDelivered, OrderStatus
from lib.services.commerce import reviews, shop
from lib.services.context import utcnow
from tests.race import race
from tests.shop.conftest import buy, deliver


def inbox_kinds(pctx, user_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    with pctx.uow(write=False) as uow:
        return [n.kind for n in uow.notifications.for_user(user_id, 100, 0)]


def review_count(engine) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(commerce_tables.reviews)).scalar_one())


def test_a_delivered_buyer_reviews_once_and_the_maker_replies(pctx, engine, maker, listing, person, other_maker):
    listing_id = listing()
    buyer = person(name="Reviewer")
    order_id = buy(pctx, buyer, listing_id)
    deliver(engine, order_id)
    assert shop.my_purchase_state(pctx, buyer, listing_id).reviewable_order_ids == [order_id]
    review_id = reviews.add_review(pctx, buyer, order_id, 4, "  Sturdy, folds <b>flat</b>.  ")
    assert "review_received" in inbox_kinds(pctx, maker.id)
    with pytest.raises(AlreadyReviewed):
        reviews.add_review(pctx, buyer, order_id, 5, "Again")
    assert shop.my_purchase_state(pctx, buyer, listing_id).reviewable_order_ids == []
    with pytest.raises(PermissionDenied):
        reviews.reply_to_review(pctx, other_maker, review_id, "Not my product")
    with pytest.raises(PermissionDenied):
        reviews.reply_to_review(pctx, buyer, review_id, "Replying to myself")
    with pytest.raises(InvalidInput) as empty:
        reviews.reply_to_review(pctx, maker, review_id, "   ")
    assert empty.value.key == "error.reply_required"
    with pytest.raises(NotFound):
        reviews.reply_to_review(pctx, maker, 999_999, "Hello")
    reviews.reply_to_review(pctx, maker, review_id, "Thank you!")
    assert "review_replied" in inbox_kinds(pctx, buyer.id)
    view = shop.get_listing(pctx, listing_id)
    [review] = view.reviews
    assert (review.rating, review.body, review.maker_reply) == (4, "Sturdy, folds <b>flat</b>.", "Thank you!")
    assert review.author_name == buyer.display_name and review.order_id == order_id
    assert (view.rating_avg, view.rating_count) == (4.0, 1)
    assert shop.browse(pctx)[0].rating_count == 1 and shop.browse(pctx)[0].rating_avg == 4.0


def test_nobody_reviews_what_they_did_not_receive(pctx, engine, listing, person):
    listing_id = listing()
    buyer, stranger = person(), person()
    order_id = buy(pctx, buyer, listing_id)
    with pytest.raises(NotDelivered):
        reviews.add_review(pctx, stranger, order_id, 5, "Never bought it")
    with pytest.raises(NotDelivered):
        reviews.add_review(pctx, stranger, 999_999, 5, "No such order")
    for status in (OrderStatus.PAID, OrderStatus.IN_PRODUCTION, OrderStatus.SHIPPED, OrderStatus.REFUNDED):
        with engine.begin() as conn:
            orders = commerce_tables.orders
            conn.execute(orders.update().where(orders.c.id == order_id).values(status=status.value))
        with pytest.raises(NotDelivered):
            reviews.add_review(pctx, buyer, order_id, 5, "Too early")
    assert review_count(engine) == 0


@pytest.mark.parametrize(("rating", "body", "key"), [
    (0, "", "error.rating_range"), (6, "", "error.rating_range"), (True, "", "error.rating_range"),
    (5, "x" * 2001, "error.review_too_long"),
])
def test_a_bad_rating_or_review_is_refused(pctx, engine, listing, person, rating, body, key):
    listing_id = listing()
    buyer = person()
    order_id = buy(pctx, buyer, listing_id)
    deliver(engine, order_id)
    with pytest.raises(InvalidInput) as refused:
        reviews.add_review(pctx, buyer, order_id, rating, body)
    assert refused.value.key == key and review_count(engine) == 0


def test_a_campaign_backer_reviews_the_listing_of_that_campaign(pctx, engine, maker, fulfilled, person):
    from lib.domain.money import Money

    campaign_id, _, backers = fulfilled()
    with engine.connect() as conn:
        o = commerce_tables.orders.c
        order_id = conn.execute(select(o.id).where(o.campaign_id == campaign_id, o.buyer_id == backers[0].id)).scalar()
    assert order_id is not None, "a charged pre-order becomes an order"
    deliver(engine, order_id)
    with pytest.raises(NotDelivered):  # delivered, but there is no listing to review yet
        reviews.add_review(pctx, backers[0], order_id, 5, "")
    listing_id = shop.create_listing(pctx, maker, campaign_id, price=Money(2500, "USD"), stock=3, description_md="")
    state = shop.my_purchase_state(pctx, backers[0], listing_id)
    assert state.bought_before and state.reviewable_order_ids == [order_id], "Buy again, and the review form"
    reviews.add_review(pctx, backers[0], order_id, 5, "Worth the wait")
    assert [r.listing_id for r in shop.get_listing(pctx, listing_id).reviews] == [listing_id]


def test_two_submissions_of_one_review_at_once_keep_one(pctx, engine, listing, person):
    listing_id = listing()
    buyer = person()
    order_id = buy(pctx, buyer, listing_id)
    deliver(engine, order_id)
    outcomes = race(4, lambda _i: reviews.add_review(pctx, buyer, order_id, 5, "Double click"),
                    expected=AlreadyReviewed)
    assert len(outcomes) == 4 and len([o for o in outcomes if isinstance(o, int)]) == 1
    assert review_count(engine) == 1


def test_reviews_are_listed_newest_first(pctx, engine, listing, person):
    listing_id = listing()
    names = []
    for rating in (2, 5):
        buyer = person(name=f"Rater{rating}")
        order_id = buy(pctx, buyer, listing_id)
        deliver(engine, order_id, utcnow() - timedelta(days=1))
        reviews.add_review(pctx, buyer, order_id, rating, "")
        names.append(buyer.display_name)
    view = shop.get_listing(pctx, listing_id)
    assert [r.author_name for r in view.reviews] == names[::-1]
    assert (view.rating_avg, view.rating_count) == (3.5, 2)
