"""Paid pre-orders become orders exactly once; makers move them one by one or in bulk, all or nothing;
buyers (or the due-jobs runner) confirm delivery; the idea follows: funded -> in production -> fulfilled.
Real SQLite and PostgreSQL (the engine fixture), the fake gateway from tests/commerce_fixtures.py."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import text

from lib.domain.campaigns import PreorderStatus, ShippingAddress
from lib.domain.errors import InvalidInput, PermissionDenied
from lib.domain.ideas import IdeaStatus
from lib.domain.orders import OrderNotMovable, OrderSource, OrderStatus
from lib.services.campaigns import opening, preorders, settlement
from lib.services.commerce import orders, refunds
from lib.services.context import utcnow
from lib.services.jobs import run_due_jobs
from tests.commerce_fixtures import ADDRESS, GOOD, past_deadline
from tests.journey_fixtures import status_of
from tests.orders.conftest import campaign_orders, get_order, inbox, kinds, statuses

S = OrderStatus


def test_every_paid_preorder_becomes_exactly_one_order(pctx, engine, open_campaign, person, maker):
    campaign_id = open_campaign(goal=3)
    referrer = person(name="Influencer")
    backers = [person(name=f"Backer {i}") for i in range(3)]
    for k, backer in enumerate(backers):
        preorders.place_preorder(pctx, backer, campaign_id, quantity=1 + k % 2,
                                 address=ShippingAddress.clean(**ADDRESS, phone="010-1234-5678"), card=GOOD)
    with engine.begin() as conn:  # the first backer came through a share link
        conn.execute(text("UPDATE preorders SET referrer_id = :r WHERE user_id = :u"),
                     {"r": referrer.id, "u": backers[0].id})
    past_deadline(engine, campaign_id)
    settlement.settle_campaign(pctx, campaign_id)

    campaign = opening.get_campaign(pctx, campaign_id)
    found = campaign_orders(pctx, campaign_id)
    assert [o.buyer_id for o in found] == [b.id for b in backers]
    with pctx.uow(write=False) as uow:
        paid = {p.id: p for p in uow.campaigns.preorders_for_campaign(campaign_id, [PreorderStatus.PAID])}
    assert len(paid) == 3 and {o.preorder_id for o in found} == set(paid)
    for order in found:
        preorder = paid[order.preorder_id]
        assert order.source is OrderSource.CAMPAIGN and order.status is S.PAID
        assert (order.maker_id, order.idea_id, order.campaign_id, order.listing_id) == \
            (maker.id, campaign.idea_id, campaign_id, None)
        assert (order.title, order.quantity, order.amount, order.unit_price) == \
            (campaign.title, preorder.quantity, preorder.amount, campaign.price)
        assert order.amount == campaign.price.times(order.quantity) and order.refunded.amount == 0
        assert (order.payment_ref, order.card_last4) == (preorder.payment_ref, "4242") and order.payment_ref
        assert order.address == preorder.address and order.address.phone == "010-1234-5678"
        assert order.paid_at is not None and order.shipped_at is None
    assert [o.referrer_id for o in found] == [referrer.id, None, None]

    settlement.settle_campaign(pctx, campaign_id)  # settling again, and the sync job, add nothing
    assert orders.sync_paid_preorders(pctx) == 0
    with pctx.uow(write=False) as uow:
        assert orders.order_from_preorder(pctx, uow, found[0].preorder_id) == found[0].id
    assert campaign_orders(pctx, campaign_id) == found


def test_paid_preorders_without_an_order_get_theirs_in_batches(pctx, engine, open_campaign, person, monkeypatch):
    """As if settlement had run before orders existed (or crashed between the two)."""
    campaign_id = open_campaign(goal=5)
    for i in range(5):
        preorders.place_preorder(pctx, person(name=f"Early {i}"), campaign_id, quantity=1,
                                 address=ShippingAddress.clean(**ADDRESS), card=GOOD)
    past_deadline(engine, campaign_id)
    with monkeypatch.context() as patch:
        patch.setattr(orders, "order_from_preorder", lambda ctx, uow, preorder_id: None)
        settlement.settle_campaign(pctx, campaign_id)
    assert campaign_orders(pctx, campaign_id) == []
    monkeypatch.setattr(orders, "BATCH", 2)
    assert orders.sync_paid_preorders(pctx) == 5
    found = campaign_orders(pctx, campaign_id)
    assert len(found) == 5 and len({o.preorder_id for o in found}) == 5
    assert orders.sync_paid_preorders(pctx) == 0
    assert len(campaign_orders(pctx, campaign_id)) == 5


def test_unpaid_preorders_never_become_orders(pctx, open_campaign, person):
    campaign_id = open_campaign(goal=5)
    preorder_id = preorders.place_preorder(pctx, person(), campaign_id, quantity=1,
                                           address=ShippingAddress.clean(**ADDRESS), card=GOOD)
    with pctx.uow() as uow:
        assert orders.order_from_preorder(pctx, uow, preorder_id) is None
    assert orders.sync_paid_preorders(pctx) == 0


def test_a_maker_moves_one_then_ships_several_and_buyers_are_told(pctx, funded, maker):
    campaign_id, backers, found = funded(backers=3)
    idea_id = opening.get_campaign(pctx, campaign_id).idea_id
    assert status_of(pctx, idea_id) is IdeaStatus.FUNDED
    assert orders.move_orders(pctx, maker, [found[0].id], S.IN_PRODUCTION) == 1
    assert statuses(pctx, campaign_id) == [S.IN_PRODUCTION, S.PAID, S.PAID]
    assert status_of(pctx, idea_id) is IdeaStatus.IN_PRODUCTION, "the first move starts production"

    numbers = {found[0].id: "CJ-0000001", found[1].id: "CJ-0000002", found[2].id: "CJ 0000 003"}
    assert orders.move_orders(pctx, maker, list(numbers), "shipped", " CJ  Logistics ", numbers) == 3
    shipped = campaign_orders(pctx, campaign_id)
    assert [(o.status, o.carrier, o.tracking_number) for o in shipped] == [
        (S.SHIPPED, "CJ Logistics", "CJ-0000001"), (S.SHIPPED, "CJ Logistics", "CJ-0000002"),
        (S.SHIPPED, "CJ Logistics", "CJ0000003")]
    assert all(o.shipped_at is not None for o in shipped)
    for backer, order in zip(backers, shipped, strict=True):
        assert inbox(pctx, backer.id, "order_shipped") == [
            {"title": order.title, "carrier": "CJ Logistics", "tracking": order.tracking_number}]
    assert status_of(pctx, idea_id) is IdeaStatus.IN_PRODUCTION
    with pytest.raises(OrderNotMovable):  # shipped is as far as a maker goes
        orders.move_orders(pctx, maker, [found[0].id], S.DELIVERED)


def test_a_bulk_move_is_all_or_nothing(pctx, funded, maker, ship):
    campaign_id, backers, found = funded(backers=3)
    ship(found[1].id)
    before = campaign_orders(pctx, campaign_id)
    with pytest.raises(OrderNotMovable):
        orders.move_orders(pctx, maker, [o.id for o in found], S.IN_PRODUCTION)
    assert campaign_orders(pctx, campaign_id) == before
    assert status_of(pctx, opening.get_campaign(pctx, campaign_id).idea_id) is IdeaStatus.IN_PRODUCTION
    with pytest.raises(InvalidInput) as empty:
        orders.move_orders(pctx, maker, [], S.IN_PRODUCTION)
    assert empty.value.key == "error.no_orders_selected"
    # one order with a bad tracking number stops the whole shipment
    with pytest.raises(InvalidInput):
        orders.move_orders(pctx, maker, [found[0].id, found[2].id], S.SHIPPED, "CJ",
                           {found[0].id: "GOOD-12345", found[2].id: "<b>x</b>"})
    assert campaign_orders(pctx, campaign_id) == before
    assert kinds(pctx, backers[0].id).count("order_shipped") == 0


@pytest.mark.parametrize(("carrier", "tracking", "key"), [
    ("CJ", "<script>alert(1)</script>", "error.tracking_invalid"),
    ("CJ", "1234\"onmouseover=x", "error.tracking_invalid"),
    ("CJ", "[click](http://evil)", "error.tracking_invalid"),
    ("CJ", "", "error.tracking_invalid"),
    ("<img src=x onerror=alert(1)>", "CJ-12345", "error.carrier_invalid"),
    ("**bold**", "CJ-12345", "error.carrier_invalid"),
    ("", "CJ-12345", "error.carrier_invalid"),
], ids=["script", "attribute", "md-link", "empty-number", "img", "md-bold", "no-carrier"])
def test_tracking_with_markup_is_refused_and_nothing_is_written(pctx, funded, maker, carrier, tracking, key):
    campaign_id, backers, found = funded(backers=1)
    with pytest.raises(InvalidInput) as refused:
        orders.move_orders(pctx, maker, [found[0].id], S.SHIPPED, carrier, tracking)
    assert refused.value.key == key
    assert campaign_orders(pctx, campaign_id) == found
    assert "order_shipped" not in kinds(pctx, backers[0].id)
    assert status_of(pctx, opening.get_campaign(pctx, campaign_id).idea_id) is IdeaStatus.FUNDED


def test_maker_view_filters_and_counts(pctx, funded, maker, ship):
    campaign_id, _backers, found = funded(backers=3)
    orders.move_orders(pctx, maker, [found[0].id], S.IN_PRODUCTION)
    ship(found[1].id)
    view = orders.maker_orders(pctx, maker)
    assert [o.id for o in view.orders] == [o.id for o in reversed(found)], "newest first"
    assert (view.counts[S.PAID], view.counts[S.IN_PRODUCTION], view.counts[S.SHIPPED], view.counts[S.DELIVERED]) \
        == (1, 1, 1, 0)
    assert S.PENDING not in view.counts
    title = opening.get_campaign(pctx, campaign_id).title
    assert view.sources == [("campaign", campaign_id, title)]
    assert [o.id for o in orders.maker_orders(pctx, maker, "shipped").orders] == [found[1].id]
    assert [o.id for o in orders.maker_orders(pctx, maker, S.PAID, campaign_id=campaign_id).orders] == [found[2].id]


def test_the_buyer_confirms_delivery_and_the_maker_is_told(pctx, funded, maker, ship):
    _campaign_id, backers, found = funded(backers=2)
    with pytest.raises(OrderNotMovable):  # not shipped yet
        orders.confirm_delivery(pctx, backers[0], found[0].id)
    ship(found[0].id, found[1].id)
    with pytest.raises(PermissionDenied):  # someone else's order
        orders.confirm_delivery(pctx, backers[1], found[0].id)
    with pytest.raises(PermissionDenied):  # not even the maker confirms for the buyer
        orders.confirm_delivery(pctx, maker, found[0].id)
    orders.confirm_delivery(pctx, backers[0], found[0].id)
    order = get_order(pctx, found[0].id)
    assert order.status is S.DELIVERED and order.delivered_at is not None
    assert inbox(pctx, maker.id, "order_delivered") == [{"title": order.title, "order": order.id}]
    with pytest.raises(OrderNotMovable):  # once only
        orders.confirm_delivery(pctx, backers[0], found[0].id)
    mine = orders.my_orders(pctx, backers[0])
    assert [(b.order.id, b.order.status, b.refunds, b.listing_id) for b in mine] == [(order.id, S.DELIVERED, [], None)]
    assert orders.my_orders(pctx, backers[1])[0].order.status is S.SHIPPED


def test_deliveries_are_confirmed_by_the_job_after_the_set_days(pctx, funded, maker, ship):
    campaign_id, backers, found = funded(backers=2)
    with pctx.uow() as uow:
        uow.settings.put("auto_confirm_days", "3")
        uow.commit()
    ship(found[0].id)
    soon = replace(pctx, clock=lambda: utcnow() + timedelta(days=2, hours=23))
    assert run_due_jobs(soon, "test")["deliveries_confirmed"] == 0
    assert statuses(pctx, campaign_id) == [S.SHIPPED, S.PAID]
    later = replace(pctx, clock=lambda: utcnow() + timedelta(days=3, minutes=1))
    assert run_due_jobs(later, "test")["deliveries_confirmed"] == 1
    assert statuses(pctx, campaign_id) == [S.DELIVERED, S.PAID], "only shipped orders are confirmed"
    assert inbox(pctx, backers[0].id, "order_auto_delivered") == [{"title": found[0].title}]
    assert run_due_jobs(later, "test")["deliveries_confirmed"] == 0


def test_the_default_auto_confirm_days_apply_without_a_setting(pctx, funded, ship):
    from lib.domain.orders import DEFAULT_AUTO_CONFIRM_DAYS

    campaign_id, _backers, found = funded(backers=1)
    ship(found[0].id)
    days = DEFAULT_AUTO_CONFIRM_DAYS
    assert orders.confirm_due_deliveries(replace(pctx, clock=lambda: utcnow() + timedelta(days=days - 1))) == 0
    assert orders.confirm_due_deliveries(replace(pctx, clock=lambda: utcnow() + timedelta(days=days + 1))) == 1
    assert statuses(pctx, campaign_id) == [S.DELIVERED]


def test_the_idea_is_fulfilled_when_every_order_is_delivered_or_refunded(pctx, funded, maker, ship):
    campaign_id, backers, found = funded(backers=3)
    idea_id = opening.get_campaign(pctx, campaign_id).idea_id
    ship(found[0].id, found[1].id)
    refunds.refund_order(pctx, maker, found[2].id, None, "Could not make a third one.")
    orders.confirm_delivery(pctx, backers[0], found[0].id)
    assert status_of(pctx, idea_id) is IdeaStatus.IN_PRODUCTION, "one order is still on its way"
    assert "campaign_fulfilled" not in kinds(pctx, maker.id)
    orders.confirm_delivery(pctx, backers[1], found[1].id)
    assert statuses(pctx, campaign_id) == [S.DELIVERED, S.DELIVERED, S.REFUNDED]
    assert status_of(pctx, idea_id) is IdeaStatus.FULFILLED
    title = opening.get_campaign(pctx, campaign_id).title
    assert inbox(pctx, maker.id, "campaign_fulfilled") == [{"title": title}]


def test_a_campaign_refunded_in_full_is_not_fulfilled(pctx, funded, maker):
    campaign_id, _backers, found = funded(backers=1)
    idea_id = opening.get_campaign(pctx, campaign_id).idea_id
    orders.move_orders(pctx, maker, [found[0].id], S.IN_PRODUCTION)
    refunds.refund_order(pctx, maker, found[0].id, None, "")
    assert statuses(pctx, campaign_id) == [S.REFUNDED]
    assert status_of(pctx, idea_id) is IdeaStatus.IN_PRODUCTION, "nothing was delivered"
