"""The shop and listing pages through AppTest, over the demo marketplace and the local test-mode gateway."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lib.domain.campaigns import ShippingAddress
from lib.domain.ideas import IdeaStatus
from lib.domain.orders import OrderStatus
from lib.i18n import translate
from lib.services.campaigns import opening
from lib.services.commerce import checkout, shop
from lib.services.context import utcnow
from lib.services.ideas import browse
from tests.ui.conftest import PASSWORD, ROLES
from tests.ui.helpers import links, no_problems, values, visit

EN = lambda key, **kw: translate("en", key, **kw)  # noqa: E731
GOOD, FAILS_WHEN_CHARGED = "4242 4242 4242 4242", "4000 0000 0000 0341"
ADDRESS = {"line1": "12 Hangang-daero", "city": "Seoul", "postal_code": "04301", "country": "KR"}


def fresh_listing(app_ctx, maker, stock: int = 5, **terms) -> int:  # type: ignore[no-untyped-def]
    """A new listing of a demo product by the demo maker (the demo seeds listings this way too)."""
    idea_id = shop.browse(app_ctx, limit=1)[0].idea_id
    with app_ctx.uow() as uow:
        listing_id = uow.catalog.add_listing(idea_id, maker.id, "Trail mug", "Enamel, *light*.", 1800,
                                             app_ctx.currency, stock=stock, sold=0, now=utcnow())
        uow.commit()
    if terms:
        shop.update_listing(app_ctx, maker, listing_id, **terms)
    return listing_id


def fill_buy(at, listing_id: int, card: str, quantity: int = 1):  # type: ignore[no-untyped-def]
    prefix = f"listing.{listing_id}"
    at.number_input(key=f"{prefix}.quantity").set_value(quantity)
    for field, value in ADDRESS.items():
        at.text_input(key=f"{prefix}.address.{field}").input(value)
    at.text_input(key=f"{prefix}.card").input(card)
    [submit] = [b for b in at.button if (b.key or "").startswith(f"FormSubmitter:{prefix}.buy_form-")]
    return submit.click().run()


def has_buy_form(at, listing_id: int) -> bool:  # type: ignore[no-untyped-def]
    return any((b.key or "").startswith(f"FormSubmitter:listing.{listing_id}.buy_form-") for b in at.button)


def subheaders(at) -> list[str]:  # type: ignore[no-untyped-def]
    return values(at.subheader)


@pytest.mark.parametrize("role", ROLES)
def test_every_demo_listing_renders_for_role(app_ctx, make_app, demo_users, role):
    cards = shop.browse(app_ctx, limit=100)
    assert cards, "the demo marketplace has listings"
    at = make_app(role)
    user = demo_users[role]
    for card in cards:
        visit(at, "listing", id=str(card.id))
        no_problems(at)
        assert at.title[0].value.replace("\\", "") == card.title
        assert EN("shop.story") in [e.label for e in at.expander]
        assert (EN("shop.sign_in_to_buy") in values(at.info)) is (user is None)
        can_buy = (user is not None and card.units_left > 0 and card.started(utcnow())
                   and shop.my_purchase_state(app_ctx, user, card.id).units_allowed != 0)
        assert has_buy_form(at, card.id) is can_buy, (role, card.id)
        opens = any(c.startswith(EN("shop.drop_starts", date="").strip()) for c in values(at.caption))
        assert opens is not card.started(utcnow())


def test_the_shop_page_searches_filters_and_opens_a_listing(app_ctx, make_app):
    at = visit(make_app(), "shop")
    no_problems(at)
    assert values(at.title) == [EN("shop.title")]
    def shown() -> list[int]:  # the listings whose cards (title links) the page draws
        return [int(params["id"]) for _, to, params in links(at) if to == "listing"]

    assert len(shown()) == min(24, len(shop.browse(app_ctx, limit=100)))
    first = shop.browse(app_ctx, limit=1)[0]
    at.text_input(key="shop.q").input(first.title.upper()).run()
    no_problems(at)
    assert first.id in shown()
    at.text_input(key="shop.q").input("nothing-is-called-this").run()
    assert values(at.info) == [EN("shop.no_results")]
    at.text_input(key="shop.q").input("").run()
    slug = first.category_slug
    at.selectbox(key="shop.category").set_value(slug).run()
    in_category = {c.idea_id for c in shop.browse(app_ctx, category=slug, limit=100)}
    assert shown() and all(shop.get_listing(app_ctx, i).listing.idea_id in in_category for i in shown())
    visit(at, "listing", id=str(first.id))
    no_problems(at)
    assert at.title[0].value.replace("\\", "") == first.title


def test_a_missing_listing_says_so(make_app):
    at = make_app("consumer")
    for bad in ("999999", "abc", ""):
        visit(at, "listing", id=bad)
        assert not at.exception
        assert values(at.warning) == [EN("shop.listing_not_found")]


def test_a_consumer_buys_now_then_sees_buy_again(app_ctx, make_app, new_account, demo_users):
    listing_id = fresh_listing(app_ctx, demo_users["maker"], stock=5)
    buyer = new_account("Bo Buyer")
    at = visit(make_app(email=buyer.email, password=PASSWORD), "listing", id=str(listing_id))
    assert EN("shop.buy_now") in subheaders(at)
    assert any("TEST MODE" in w for w in values(at.warning)), "the local gateway is clearly test mode"
    at = fill_buy(at, listing_id, GOOD, quantity=2)
    no_problems(at)
    assert EN("shop.bought", count=2, total="$36.00") in values(at.success)
    assert EN("shop.buy_again") in subheaders(at)
    assert shop.listing_now(app_ctx, listing_id).units_left == 3
    assert shop.my_purchase_state(app_ctx, buyer, listing_id).units_bought == 2


@pytest.mark.parametrize(("card", "quantity", "message"), [
    (FAILS_WHEN_CHARGED, 1, EN("error.card_declined")),
    ("4000 0000 0000 0002", 1, EN("error.card_refused")),
    (GOOD, 4, EN("error.out_of_stock", left=3)),
], ids=["declined-charge", "refused-card", "more-than-stock"])
def test_a_failed_purchase_says_why_and_takes_nothing(app_ctx, make_app, new_account, demo_users, card, quantity,
                                                      message):
    listing_id = fresh_listing(app_ctx, demo_users["maker"], stock=3)
    buyer = new_account("Nia Nope")
    at = visit(make_app(email=buyer.email, password=PASSWORD), "listing", id=str(listing_id))
    at = fill_buy(at, listing_id, card, quantity)
    assert not at.exception
    assert values(at.error) == [message]
    assert not at.success
    assert shop.listing_now(app_ctx, listing_id).units_left == 3
    assert not shop.my_purchase_state(app_ctx, buyer, listing_id).bought_before


def test_a_drop_counts_down_then_sells_out_at_once(app_ctx, make_app, new_account, demo_users):
    maker = demo_users["maker"]
    listing_id = fresh_listing(app_ctx, maker, stock=1, starts_at=utcnow() + timedelta(hours=5),
                               per_account_limit=1)
    buyer = new_account("Dee Drop")
    at = visit(make_app(email=buyer.email, password=PASSWORD), "listing", id=str(listing_id))
    no_problems(at)
    opens = [c for c in values(at.caption) if c.startswith(EN("shop.drop_starts", date="").strip())]
    assert len(opens) == 1, "the opening time (the browser ticks the countdown: tests/e2e/test_live_drop.py)"
    assert not has_buy_form(at, listing_id), "no buying before the drop starts"
    assert EN("shop.limit_status", limit=1, bought=0) in values(at.caption)

    shop.update_listing(app_ctx, maker, listing_id, starts_at=utcnow() - timedelta(seconds=1))
    at.run()
    assert not [c for c in values(at.caption) if c.startswith(EN("shop.drop_starts", date="").strip())]
    assert has_buy_form(at, listing_id)
    checkout.buy_now(app_ctx, new_account("Fast Fan"), listing_id, quantity=1,
                 address=ShippingAddress.clean(name="F", **ADDRESS), card=GOOD)
    at.run()
    assert EN("shop.sold_out") in values(at.error) and not has_buy_form(at, listing_id)


def test_a_buyer_reviews_a_delivered_order_and_the_maker_replies(app_ctx, make_app, new_account, demo_users):
    maker = demo_users["maker"]
    listing_id = fresh_listing(app_ctx, maker, stock=5)
    buyer = new_account("Rae Reviewer")
    order_id = checkout.buy_now(app_ctx, buyer, listing_id, quantity=1,
                            address=ShippingAddress.clean(name="Rae", **ADDRESS), card=GOOD)
    at = visit(make_app(email=buyer.email, password=PASSWORD), "listing", id=str(listing_id), review=str(order_id))
    at.button(key=f"FormSubmitter:review.{order_id}-{EN('shop.post_review')}").click().run()
    assert values(at.error) == [EN("error.review_needs_delivery")], "not delivered yet"

    with app_ctx.uow() as uow:
        uow.orders.move(order_id, [OrderStatus.PAID], OrderStatus.DELIVERED, utcnow(), delivered_at=utcnow())
        uow.commit()
    at = visit(at, "listing", id=str(listing_id))
    assert EN("shop.review_title") in subheaders(at), "a delivered, unreviewed order brings the form"
    at.radio(key=f"review.{order_id}.rating").set_value(4)
    at.text_area(key=f"review.{order_id}.body").input("Keeps tea **hot**.")
    at.button(key=f"FormSubmitter:review.{order_id}-{EN('shop.post_review')}").click().run()
    no_problems(at)
    assert EN("shop.review_thanks") in values(at.success)
    assert "Keeps tea \\*\\*hot\\*\\*\\." in values(at.markdown), "review text is shown as typed"
    assert EN("shop.review_title") not in subheaders(at)
    assert EN("shop.reviews_title", count=1) in subheaders(at)

    [review] = shop.get_listing(app_ctx, listing_id).reviews
    other = visit(make_app("consumer"), "listing", id=str(listing_id))
    assert f"review_reply.{review.id}.body" not in [a.key for a in other.text_area], "only the maker replies"
    mk = visit(make_app("maker"), "listing", id=str(listing_id))
    assert EN("shop.you_make_this") in values(mk.info) and EN("shop.manage") in [e.label for e in mk.expander]
    mk.text_area(key=f"review_reply.{review.id}.body").input("Glad you like it!")
    mk.button(key=f"FormSubmitter:review_reply.{review.id}-{EN('shop.send_reply')}").click().run()
    no_problems(mk)
    assert EN("shop.reply_sent") in values(mk.success)
    assert "Glad you like it\\!" in values(mk.markdown)


def test_the_maker_pauses_a_listing_from_its_page(app_ctx, make_app, demo_users):
    listing_id = fresh_listing(app_ctx, demo_users["maker"], stock=5)
    mk = visit(make_app("maker"), "listing", id=str(listing_id))
    prefix = f"listing_manage.{listing_id}"
    mk.toggle(key=f"{prefix}.active").set_value(False)
    mk.number_input(key=f"{prefix}.add_stock").set_value(3)
    mk.button(key=f"FormSubmitter:{prefix}.form-{EN('common.save')}").click().run()
    no_problems(mk)
    assert EN("shop.saved") in values(mk.success)
    now = shop.listing_now(app_ctx, listing_id)
    assert now.status.value == "paused" and now.stock == 8
    buyer = visit(make_app("consumer"), "listing", id=str(listing_id))
    assert EN("error.listing_unavailable") in values(buyer.warning) and not has_buy_form(buyer, listing_id)


def test_the_maker_lists_a_fulfilled_campaign_from_its_page(app_ctx, make_app, demo_users):
    maker = demo_users["maker"]
    funded = [c for c in browse.browse_campaigns(app_ctx, limit=100) if c.status == "funded"
              and opening.get_campaign(app_ctx, c.id).maker_id == maker.id
              and shop.listing_for_campaign(app_ctx, c.id) is None]
    campaign = opening.get_campaign(app_ctx, funded[0].id)
    form_key = f"listing_create.{campaign.id}.form"
    mk = visit(make_app("maker"), "campaign", id=str(campaign.id))
    no_problems(mk)
    assert EN("shop.create_title") not in subheaders(mk), "only once the idea is fulfilled"
    with app_ctx.uow() as uow:
        assert uow.idea_repo.move(campaign.idea_id, [IdeaStatus.FUNDED, IdeaStatus.IN_PRODUCTION],
                                  IdeaStatus.FULFILLED, utcnow())
        uow.commit()
    other = visit(make_app("consumer"), "campaign", id=str(campaign.id))
    assert EN("shop.create_title") not in subheaders(other), "only for the campaign's maker"
    mk = visit(mk, "campaign", id=str(campaign.id))
    assert EN("shop.create_title") in subheaders(mk)
    assert not mk.get("form"), "the form opens on request"
    mk.button(key=f"listing_create.{campaign.id}.start").click().run()
    mk.number_input(key=f"listing_create.{campaign.id}.stock").set_value(25)
    mk.number_input(key=f"listing_create.{campaign.id}.limit").set_value(2)
    mk.button(key=f"FormSubmitter:{form_key}-{EN('shop.create')}").click().run()
    no_problems(mk)
    listing = shop.listing_for_campaign(app_ctx, campaign.id)
    assert listing is not None and (listing.stock, listing.per_account_limit) == (25, 2)
    assert listing.price == campaign.price, "the campaign's price unless changed"
    assert EN("shop.listed") in values(mk.success)
    assert mk.title[0].value.replace("\\", "") == listing.title
