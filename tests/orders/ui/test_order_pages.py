"""Orders to fulfil (makers) and My orders (buyers) through AppTest, over the app's own wiring (the
local test-mode gateway) and a fresh verified maker whose campaign was funded and charged."""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import timedelta

import pytest

from lib.domain.campaigns import ShippingAddress
from lib.domain.ideas import IdeaFields
from lib.domain.money import Money
from lib.domain.orders import NewOrder, OrderSource, OrderStatus
from lib.i18n import translate
from lib.services.campaigns import makers, opening, preorders, settlement
from lib.services.commerce import buyer_updates, orders
from lib.services.ideas import authoring, moderation, support
from lib.ui.commerce import order_panels
from tests.ui.conftest import PASSWORD
from tests.ui.helpers import no_problems, values

EN = lambda key, **kw: translate("en", key, **kw)  # noqa: E731
S = OrderStatus
CARD = "4242 4242 4242 4242"
ADDRESS = dict(line1="12 Hangang-daero", city="Seoul", postal_code="04301", country="KR")


def submit(at, form: str, label_key: str):  # type: ignore[no-untyped-def]
    return at.button(key=f"FormSubmitter:{form}-{EN(label_key)}").click().run()


def get(app_ctx, order_id: int):  # type: ignore[no-untyped-def]
    with app_ctx.uow(write=False) as uow:
        return uow.orders.get(order_id)


@pytest.fixture
def funded(app_ctx, new_account, demo_users):  # type: ignore[no-untyped-def]
    """A fresh verified maker whose campaign was funded and charged: (maker, campaign id, buyers, orders)."""

    def make(backers: int = 3):  # type: ignore[no-untyped-def]
        maker = new_account("Mona Maker")
        makers.apply_as_maker(app_ctx, maker, business_name="Mona's Metal", description="Small runs.",
                              capabilities="stamping", location="Ulsan")
        makers.decide_maker(app_ctx, demo_users["moderator"], maker.id, True)
        with app_ctx.uow() as uow:
            category = uow.catalog.add_category(f"ord-{secrets.token_hex(4)}", "Orders", "주문", 1)
            uow.commit()
        author = new_account("Ari Author")
        fields = IdeaFields.clean(title=f"A lantern that folds {secrets.token_hex(2)}", pitch="Light anywhere.",
                                  description_md="It *folds*.", category_id=category)
        idea_id = authoring.create_idea(app_ctx, author, fields=fields, submit=True)
        moderation.approve(app_ctx, demo_users["moderator"], idea_id)
        support.support_idea(app_ctx, new_account("Sue Supporter"), idea_id)
        quote_id = makers.submit_quote(app_ctx, makers_user(app_ctx, maker), idea_id, unit_cost=900, moq=backers,
                                       lead_time_days=10)
        opening.consent_to_quote(app_ctx, author, quote_id)
        campaign_id = opening.open_campaign(app_ctx, demo_users["moderator"], quote_id, days=10)
        buyers = [new_account(f"Buyer {k}") for k in range(backers)]
        for buyer in buyers:
            preorders.place_preorder(app_ctx, buyer, campaign_id, quantity=1, card=CARD,
                                     address=ShippingAddress.clean(name=buyer.display_name, **ADDRESS))
        settlement.settle_campaign(replace(app_ctx, clock=lambda: app_ctx.now() + timedelta(days=11)), campaign_id)
        found = sorted(orders.maker_orders(app_ctx, makers_user(app_ctx, maker)).orders, key=lambda o: o.id)
        assert [o.status for o in found] == [S.PAID] * backers
        return makers_user(app_ctx, maker), campaign_id, buyers, found

    return make


def makers_user(app_ctx, user):  # type: ignore[no-untyped-def]
    """The account as stored now (verification granted the maker role)."""
    with app_ctx.uow(write=False) as uow:
        return uow.users.get(user.id)


def test_the_demo_maker_and_consumer_see_their_orders_after_the_sync_job(app_ctx, make_app):
    orders.sync_paid_preorders(app_ctx)  # the demo's paid pre-orders predate orders
    at = make_app("maker", page="pages/maker_orders.py")
    no_problems(at)
    assert values(at.title) == [EN("orders.maker_title")]
    assert at.dataframe, "the demo maker's funded campaigns have orders"
    assert [t.label for t in at.tabs] == [EN("orders.tab_move"), EN("orders.tab_ship"), EN("orders.tab_refund"),
                                          EN("orders.tab_update"), EN("orders.tab_list")]
    assert at.get("download_button")
    at = make_app("consumer", page="pages/my_orders.py")
    no_problems(at)
    assert values(at.title) == [EN("orders.my_title")]


def test_a_consumer_without_a_maker_profile_is_told_how_orders_appear(make_app, new_account, demo_users):
    at = make_app("consumer", page="pages/maker.py")  # the studio points makers to the new page
    no_problems(at)
    person = new_account("Nia Newcomer")
    at = make_app(email=person.email, password=PASSWORD, page="pages/my_orders.py")
    no_problems(at)
    assert EN("orders.my_empty") in values(at.info)


def test_a_maker_moves_ships_refunds_and_updates_from_the_page(app_ctx, make_app, funded, monkeypatch):
    maker, campaign_id, buyers, found = funded(backers=3)
    at = make_app(email=maker.email, password=PASSWORD, page="pages/maker_orders.py")
    no_problems(at)
    assert len(at.dataframe) == 1 and len(at.dataframe[0].value) == 3
    at.selectbox(key="maker_orders.source").select(("campaign", campaign_id, found[0].title)).run()

    at.multiselect(key="maker_orders.move_ids").set_value([found[0].id, found[1].id])
    at.button(key="maker_orders.move_in_production").click().run()
    no_problems(at)
    assert EN("orders.moved", count=2) in values(at.success)
    assert [get(app_ctx, o.id).status for o in found] == [S.IN_PRODUCTION, S.IN_PRODUCTION, S.PAID]

    at.selectbox(key="maker_orders.ship_one.order").set_value(found[0].id)
    at.text_input(key="maker_orders.ship_one.carrier").input("CJ Logistics")
    at.text_input(key="maker_orders.ship_one.tracking").input("<b>123</b>")
    submit(at, "maker_orders.ship_one_form", "orders.ship")
    assert values(at.error) == [EN("error.tracking_invalid")]
    assert get(app_ctx, found[0].id).status is S.IN_PRODUCTION, "nothing written"
    at.text_input(key="maker_orders.ship_one.tracking").input("CJ-5550001")
    submit(at, "maker_orders.ship_one_form", "orders.ship")
    no_problems(at)
    assert EN("orders.shipped", count=1) in values(at.success)
    assert (get(app_ctx, found[0].id).status, get(app_ctx, found[0].id).tracking_number) == (S.SHIPPED, "CJ-5550001")

    # several at once, a tracking number each (what the data editor holds is stood in for: AppTest cannot
    # type into it; the click reads it in its callback)
    monkeypatch.setattr(order_panels, "typed_tracking", lambda ids, key: {i: f"HJ-00{i}" for i in ids})
    at.multiselect(key="maker_orders.ship_many.ids").set_value([found[1].id, found[2].id])
    at.run()
    at.text_input(key="maker_orders.ship_many.carrier").input("Hanjin")
    at.button(key="maker_orders.ship_many.button").click().run()
    no_problems(at)
    assert EN("orders.shipped", count=2) in values(at.success)
    assert [(get(app_ctx, o.id).carrier, get(app_ctx, o.id).tracking_number) for o in found[1:]] == \
        [("Hanjin", f"HJ-00{found[1].id}"), ("Hanjin", f"HJ-00{found[2].id}")]

    at.selectbox(key="maker_orders.refund.order").set_value(found[2].id)
    at.text_input(key="maker_orders.refund.amount").input("12,x")
    submit(at, "maker_orders.refund_form", "orders.refund")
    assert values(at.error) == [EN("error.price_format")]
    assert get(app_ctx, found[2].id).refunded.amount == 0
    at.text_input(key="maker_orders.refund.amount").input("1000000")
    submit(at, "maker_orders.refund_form", "orders.refund")
    assert values(at.error) == [EN("error.refund_too_large", max=found[2].amount.format())]
    at.text_input(key="maker_orders.refund.amount").input("1.00")
    at.text_input(key="maker_orders.refund.reason").input("A scratch on the lid.")
    submit(at, "maker_orders.refund_form", "orders.refund")
    no_problems(at)
    assert EN("orders.refunded") in values(at.success)
    assert get(app_ctx, found[2].id).refunded.amount == 100

    at.text_area(key="maker_orders.update.body").input("Parcels left the workshop today.")
    submit(at, "maker_orders.update_form", "orders.post_update")
    no_problems(at)
    assert EN("orders.update_posted") in values(at.success)
    [update] = buyer_updates.list_buyer_updates(app_ctx, buyers[0], campaign_id=campaign_id)
    assert update.body_md == "Parcels left the workshop today."
    assert any("Parcels left the workshop today." in m for m in values(at.markdown)), "the maker sees it too"
    assert at.get("download_button")


def test_a_buyer_follows_confirms_and_is_offered_a_review_and_buy_again(app_ctx, make_app, funded):
    maker, campaign_id, buyers, found = funded(backers=1)
    orders.move_orders(app_ctx, maker, [found[0].id], S.SHIPPED, "CJ Logistics", "CJ-7770001")
    buyer_updates.post_buyer_update(app_ctx, maker, "On its way **now**.", campaign_id=campaign_id)
    at = make_app(email=buyers[0].email, password=PASSWORD, page="pages/my_orders.py")
    no_problems(at)
    captions = " ".join(values(at.caption)).replace("\\", "")  # people's text is shown escaped
    assert f"#{found[0].id}" in captions and EN("orders.status.shipped") in captions
    assert "CJ-7770001" in captions
    assert any("<strong>now</strong>" in m for m in values(at.markdown)), "updates render as sanitised Markdown"
    assert f"my_orders.again_{found[0].id}" not in [b.key for b in at.button], "no listing yet"

    at.button(key=f"my_orders.confirm_{found[0].id}").click().run()
    no_problems(at)
    assert EN("orders.delivery_confirmed") in values(at.success)
    assert get(app_ctx, found[0].id).status is S.DELIVERED
    assert f"my_orders.confirm_{found[0].id}" not in [b.key for b in at.button]

    with app_ctx.uow() as uow:  # the campaign became a listing, and the buyer also bought from it
        listing_id = uow.catalog.add_listing(found[0].idea_id, maker.id, found[0].title, "Now in the shop.",
                                             1500, found[0].amount.currency, 10, 0, app_ctx.now())
        uow.conn.exec_driver_sql(f"UPDATE listings SET campaign_id = {campaign_id} WHERE id = {listing_id}")
        price = Money(1500, found[0].amount.currency)
        shop_order = uow.orders.add(NewOrder(
            source=OrderSource.SHOP, buyer_id=buyers[0].id, maker_id=maker.id, idea_id=found[0].idea_id,
            listing_id=listing_id, title=found[0].title, quantity=1, unit_price=price, amount=price,
            status=OrderStatus.DELIVERED, gateway="local",
            address=ShippingAddress.clean(name="B", line1="L", city="C", postal_code="P", country="KR"),
            created_at=app_ctx.now()))
        uow.commit()
    at.run()
    keys = [b.key for b in at.button]
    assert f"my_orders.again_{found[0].id}" in keys, "the campaign's listing is where to buy again"
    assert f"my_orders.review_{shop_order}" in keys and f"my_orders.review_{found[0].id}" not in keys
    at.button(key=f"my_orders.review_{shop_order}").click().run()
    assert at.query_params.get("id") in (str(listing_id), [str(listing_id)])
    assert at.query_params.get("review") in (str(shop_order), [str(shop_order)])


def test_two_clicks_of_one_refund_form_refund_once(app_ctx, make_app, funded):
    """The second click of one drawing of the refund form carries that drawing's request key (here it
    arrives after the rerun, the latest it can): the refund happens once; a new drawing refunds again."""
    maker, _campaign_id, _buyers, [order] = funded(backers=1)
    at = make_app(email=maker.email, password=PASSWORD, page="pages/maker_orders.py")
    at.selectbox(key="maker_orders.refund.order").set_value(order.id)
    at.text_input(key="maker_orders.refund.amount").input("1.00")
    drawn_with = at.session_state["maker_orders.refund.request_key"]
    submit(at, "maker_orders.refund_form", "orders.refund")
    no_problems(at)
    assert get(app_ctx, order.id).refunded.amount == 100

    at.session_state["maker_orders.refund.request_key"] = drawn_with
    submit(at, "maker_orders.refund_form", "orders.refund")
    no_problems(at)
    assert EN("orders.refunded") in values(at.success), "the answer of the first click"
    assert get(app_ctx, order.id).refunded.amount == 100

    submit(at, "maker_orders.refund_form", "orders.refund")  # a click on the form drawn since
    no_problems(at)
    assert get(app_ctx, order.id).refunded.amount == 200


def test_a_declined_purchase_is_in_nobodys_order_page(app_ctx, make_app, funded):
    maker, _campaign, buyers, found = funded(backers=1)
    buyer = buyers[0]
    with app_ctx.uow() as uow:  # a shop purchase whose payment never happened, as checkout leaves it
        listing_id = uow.catalog.add_listing(found[0].idea_id, maker.id, "Declined lantern", "In the shop.",
                                             1500, found[0].amount.currency, 10, 0, app_ctx.now())
        price = Money(1500, found[0].amount.currency)
        uow.orders.add(NewOrder(
            source=OrderSource.SHOP, buyer_id=buyer.id, maker_id=maker.id, idea_id=found[0].idea_id,
            listing_id=listing_id, title="Declined lantern", quantity=1, unit_price=price, amount=price,
            status=OrderStatus.CANCELLED, gateway="local",
            address=ShippingAddress.clean(name="B", line1="L", city="C", postal_code="P", country="KR"),
            created_at=app_ctx.now()))
        uow.commit()
    at = make_app(email=buyer.email, password=PASSWORD, page="pages/my_orders.py")
    no_problems(at)
    shown = " ".join(values(at.markdown) + values(at.caption))
    assert "Declined lantern" not in shown and EN("orders.status.cancelled") not in shown
    assert [b.key for b in at.button if "my_orders.again_" in (b.key or "")] == [], "no 'Buy again' for it"
    at = make_app(email=maker.email, password=PASSWORD, page="pages/maker_orders.py")
    no_problems(at)
    assert len(at.dataframe[0].value) == 1, "only the paid order"
    assert not any(EN("orders.status.cancelled") in o for o in at.selectbox(key="maker_orders.status").options)
    assert not any("Declined lantern" in o for o in at.selectbox(key="maker_orders.source").options)
    assert EN("orders.status.cancelled") not in " ".join(values(at.caption))


def test_the_status_filter_counts_what_the_summary_counts(app_ctx, make_app):
    orders.sync_paid_preorders(app_ctx)
    at = make_app("maker", page="pages/maker_orders.py")
    sources = at.selectbox(key="maker_orders.source")
    assert len(sources.options) > 2, "the demo maker sells from several campaigns and listings"
    for index in range(1, len(sources.options)):
        at.selectbox(key="maker_orders.source").select_index(index).run()
        no_problems(at)
        summary = next(c for c in values(at.caption) if c[-1:].isdigit())
        in_summary = dict(part.rsplit(" ", 1) for part in summary.split(" · "))
        in_filter = dict(o[:-1].rsplit(" (", 1) for o in at.selectbox(key="maker_orders.status").options[1:])
        assert {k: v for k, v in in_filter.items() if v != "0"} == in_summary, sources.options[index]
