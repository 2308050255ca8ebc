"""Reviewing from My orders (issue 12): the link opens the form first; once posted, the form is gone and
the review is shown where it was, with the way to it among all reviews."""

from __future__ import annotations

from lib.domain.campaigns import ShippingAddress
from lib.domain.orders import OrderStatus
from lib.services.commerce import checkout
from lib.services.context import utcnow
from tests.shop.ui.test_shop_pages import ADDRESS, EN, GOOD, fresh_listing
from tests.ui.conftest import PASSWORD
from tests.ui.helpers import _walk, no_problems, values, visit


def _delivered_order(app_ctx, maker, buyer, listing_id: int) -> int:  # type: ignore[no-untyped-def]
    order_id = checkout.buy_now(app_ctx, buyer, listing_id, quantity=1,
                                address=ShippingAddress.clean(name="Ria", **ADDRESS), card=GOOD)
    with app_ctx.uow() as uow:
        uow.orders.move(order_id, [OrderStatus.PAID], OrderStatus.DELIVERED, utcnow(), delivered_at=utcnow())
        uow.commit()
    return order_id


def _headings(at) -> list[str]:  # type: ignore[no-untyped-def]
    """Every heading and metric label in drawing order."""
    return [node.label if node.type == "metric" else node.value for node in _walk(at._tree)
            if getattr(node, "type", "") in ("subheader", "title", "metric")]


def test_write_a_review_opens_the_form_first_and_posting_shows_the_review(app_ctx, make_app, new_account,
                                                                            demo_users):
    listing_id = fresh_listing(app_ctx, demo_users["maker"])
    buyer = new_account("Ria Reviewer")
    order_id = _delivered_order(app_ctx, demo_users["maker"], buyer, listing_id)
    at = visit(make_app(email=buyer.email, password=PASSWORD), "listing", id=str(listing_id), review=str(order_id))
    headings = _headings(at)
    assert headings.index(EN("shop.review_title")) < headings.index(EN("shop.price_label")), \
        "arriving to write a review, the form comes before the rest of the listing"

    at.text_area(key=f"review.{order_id}.body").input("Light and tough.")
    post = f"FormSubmitter:review.{order_id}-{EN('shop.post_review')}"
    at = at.button(key=post).click().run()
    no_problems(at)
    assert EN("shop.review_thanks") in values(at.success)
    assert post not in [b.key for b in at.button], "posted: the form is gone, so there is no second post"
    headings = _headings(at)
    assert headings.index(EN("shop.your_review")) < headings.index(EN("shop.price_label"))
    assert f"[{EN('shop.see_in_reviews')}](#reviews)" in values(at.markdown)
    assert values(at.markdown).count("Light and tough\\.") == 2, "in its own place and among all reviews"
    at = visit(at, "listing", id=str(listing_id), review=str(order_id))
    assert EN("shop.your_review") in _headings(at) and post not in [b.key for b in at.button]


def test_a_review_posted_lower_down_shows_there_instead_of_the_form(app_ctx, make_app, new_account, demo_users):
    listing_id = fresh_listing(app_ctx, demo_users["maker"])
    buyer = new_account("Ode Reviewer")
    order_id = _delivered_order(app_ctx, demo_users["maker"], buyer, listing_id)
    at = visit(make_app(email=buyer.email, password=PASSWORD), "listing", id=str(listing_id))
    at = at.button(key=f"FormSubmitter:review.{order_id}-{EN('shop.post_review')}").click().run()
    no_problems(at)
    assert EN("shop.your_review") in _headings(at) and EN("shop.review_title") not in _headings(at)
