"""A maker reaches only their own orders (list, move, refund, export, update buyers); the shipping list
is CSV a spreadsheet cannot run; updates reach every buyer once."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import text

from lib.domain.accounts import Role
from lib.domain.campaigns import NotVerifiedMaker, ShippingAddress
from lib.domain.errors import InvalidInput, NotFound, PermissionDenied
from lib.domain.orders import OrderStatus
from lib.services.campaigns import opening, preorders
from lib.services.commerce import buyer_updates, orders, refunds
from lib.services.commerce.buyer_updates import CSV_COLUMNS
from tests.commerce_fixtures import ADDRESS, GOOD, past_deadline
from tests.orders.conftest import campaign_orders, inbox, kinds

S = OrderStatus


def test_another_maker_cannot_list_move_refund_export_or_post(pctx, funded, maker, other_maker):
    campaign_id, backers, found = funded(backers=2)
    ids = [o.id for o in found]
    view = orders.maker_orders(pctx, other_maker)
    assert (view.orders, view.sources, sum(view.counts.values())) == ([], [], 0)
    attempts = [
        lambda: orders.maker_orders(pctx, other_maker, campaign_id=campaign_id),
        lambda: orders.move_orders(pctx, other_maker, ids, S.IN_PRODUCTION),
        lambda: orders.move_orders(pctx, other_maker, [ids[0]], S.SHIPPED, "CJ", "CJ-12345"),
        lambda: refunds.refund_order(pctx, other_maker, ids[0], None, ""),
        lambda: buyer_updates.shipping_list_csv(pctx, other_maker, campaign_id=campaign_id),
        lambda: buyer_updates.post_buyer_update(pctx, other_maker, "Hello", campaign_id=campaign_id),
        lambda: buyer_updates.list_buyer_updates(pctx, other_maker, campaign_id=campaign_id),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied) as denied:
            attempt()
        assert str(ids[0]) not in str(denied.value.params), "the refusal names nothing of the order"
    assert buyer_updates.shipping_list_csv(pctx, other_maker).strip() == ",".join(CSV_COLUMNS)
    assert campaign_orders(pctx, campaign_id) == found
    assert all("buyer_update" not in kinds(pctx, b.id) for b in backers)


def test_one_foreign_order_in_a_bulk_move_stops_it_all(pctx, funded, maker):
    campaign_id, _backers, found = funded(backers=2)
    with pytest.raises(PermissionDenied):
        orders.move_orders(pctx, maker, [found[0].id, 999_999], S.IN_PRODUCTION)
    assert campaign_orders(pctx, campaign_id) == found


def test_people_who_are_not_verified_makers_see_no_orders(pctx, funded, person):
    _campaign_id, backers, _found = funded(backers=1)
    for who in (backers[0], person(Role.MAKER)):  # a consumer; a maker role without a verified profile
        with pytest.raises(NotVerifiedMaker):
            orders.maker_orders(pctx, who)
        with pytest.raises(NotVerifiedMaker):
            buyer_updates.shipping_list_csv(pctx, who)
    with pytest.raises(PermissionDenied):
        orders.maker_orders(pctx, None)


def test_unknown_campaign_or_listing_filters_are_not_found(pctx, maker):
    with pytest.raises(NotFound):
        orders.maker_orders(pctx, maker, campaign_id=999_999)
    with pytest.raises(NotFound):
        orders.maker_orders(pctx, maker, listing_id=999_999)


def test_the_shipping_list_holds_what_is_left_to_ship_and_cannot_run_formulas(pctx, engine, open_campaign, person,
                                                                               maker):
    campaign_id = open_campaign(goal=4)
    hostile = dict(ADDRESS, name="=HYPERLINK(\"http://evil\",\"x\")", line1="+1+cmd|' /C calc'!A0",
                   line2="@SUM(1,1)", city="-2+3", phone="+82 10-1234-5678")
    addresses = [ShippingAddress.clean(**hostile), ShippingAddress.clean(**ADDRESS, line2="Apt 3, \"B\""),
                 ShippingAddress.clean(**ADDRESS), ShippingAddress.clean(**ADDRESS)]
    for k, address in enumerate(addresses):
        preorders.place_preorder(pctx, person(name=f"Buyer {k}"), campaign_id, quantity=1, address=address, card=GOOD)
    past_deadline(engine, campaign_id)
    from lib.services.campaigns import settlement

    settlement.settle_campaign(pctx, campaign_id)
    found = campaign_orders(pctx, campaign_id)
    orders.move_orders(pctx, maker, [found[1].id], S.IN_PRODUCTION)
    orders.move_orders(pctx, maker, [found[2].id], S.SHIPPED, "CJ", "CJ-12345")
    refunds.refund_order(pctx, maker, found[3].id, None, "")

    rows = list(csv.reader(io.StringIO(buyer_updates.shipping_list_csv(pctx, maker, campaign_id=campaign_id))))
    assert rows[0] == list(CSV_COLUMNS)
    assert [r[0] for r in rows[1:]] == [str(found[0].id), str(found[1].id)], "paid and in production only"
    first = dict(zip(CSV_COLUMNS, rows[1], strict=True))
    assert first["name"] == "'=HYPERLINK(\"http://evil\",\"x\")"
    assert first["line1"] == "'+1+cmd|' /C calc'!A0" and first["line2"] == "'@SUM(1,1)"
    assert first["city"] == "'-2+3" and first["phone"] == "'+82 10-1234-5678"
    assert first["title"] == found[0].title and first["quantity"] == "1" and first["country"] == "KR"
    second = dict(zip(CSV_COLUMNS, rows[2], strict=True))
    assert second["line2"] == "Apt 3, \"B\"" and second["name"] == ADDRESS["name"]
    everything = buyer_updates.shipping_list_csv(pctx, maker)
    assert everything == buyer_updates.shipping_list_csv(pctx, maker, campaign_id=campaign_id)


def test_an_update_reaches_every_buyer_once(pctx, engine, funded, maker, person):
    campaign_id, backers, found = funded(backers=3)
    with engine.begin() as conn:  # the third backer's order was refunded: no more updates for them
        conn.execute(text("UPDATE orders SET status = 'refunded', refunded = amount WHERE id = :o"),
                     {"o": found[2].id})
    update_id = buyer_updates.post_buyer_update(pctx, maker, "  Tooling is done; **sampling** next week.  ",
                                         campaign_id=campaign_id)
    title = opening.get_campaign(pctx, campaign_id).title
    assert [inbox(pctx, b.id, "buyer_update") for b in backers] == [[{"title": title}], [{"title": title}], []]
    for reader in (maker, backers[0], backers[2]):  # a refunded buyer can still read what was said
        [update] = buyer_updates.list_buyer_updates(pctx, reader, campaign_id=campaign_id)
        assert (update.id, update.body_md, update.maker_id) == \
            (update_id, "Tooling is done; **sampling** next week.", maker.id)
    with pytest.raises(PermissionDenied):
        buyer_updates.list_buyer_updates(pctx, person(), campaign_id=campaign_id)


@pytest.mark.parametrize(("body", "scope", "key"), [
    ("   ", "campaign", "error.update_required"),
    ("x" * 5001, "campaign", "error.update_too_long"),
    ("Hello", "none", "error.order_scope"),
    ("Hello", "both", "error.order_scope"),
])
def test_bad_updates_are_refused_and_nobody_is_told(pctx, engine, funded, maker, body, scope, key):
    campaign_id, backers, _found = funded(backers=1)
    where = {"campaign": {"campaign_id": campaign_id}, "none": {},
             "both": {"campaign_id": campaign_id, "listing_id": 1}}[scope]
    with pytest.raises(InvalidInput) as refused:
        buyer_updates.post_buyer_update(pctx, maker, body, **where)
    assert refused.value.key == key
    assert "buyer_update" not in kinds(pctx, backers[0].id)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM order_updates")).scalar_one() == 0
