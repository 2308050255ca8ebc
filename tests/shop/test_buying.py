"""Buy now: charged at once; every refusal leaves stock, limits and orders as they were (both databases)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from lib.adapters.db.schema import commerce as commerce_tables
from lib.domain.errors import InvalidInput, NotFound, NotSignedIn
from lib.domain.money import Money
from lib.domain.orders import DropNotStarted, OrderStatus, OutOfStock, PurchaseLimitReached
from lib.domain.shop import ChargeDeclined, PaymentInDoubt
from lib.services.commerce import checkout, orders, shop
from lib.services.context import utcnow
from lib.services.messaging import notifications
from lib.services.payments.ports import PaymentMethodRefused, PaymentUnavailable
from tests.commerce_fixtures import DECLINE_ON_CHARGE, DECLINE_ON_SAVE, FakeGateway
from tests.shop.conftest import buy


def orders_of(engine, listing_id: int) -> list[dict]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        orders = commerce_tables.orders
        rows = conn.execute(select(orders).where(orders.c.listing_id == listing_id).order_by(orders.c.id))
        return [dict(r) for r in rows.mappings()]


def counts(pctx, listing_id: int, user_id: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """(units sold on the listing, units this account holds)."""
    with pctx.uow(write=False) as uow:
        return uow.shop.listing(listing_id).sold, uow.shop.buyer_units(listing_id, user_id)


def test_buying_charges_at_once_and_records_a_paid_order(pctx, engine, maker, listing, person, gateway):
    listing_id = listing(stock=5, price=2500)
    buyer = person()
    order_id = buy(pctx, buyer, listing_id, 2)
    [order] = orders_of(engine, listing_id)
    assert order["id"] == order_id and order["status"] == OrderStatus.PAID.value and order["source"] == "shop"
    assert (order["quantity"], order["unit_price"], order["amount"], order["currency"]) == (2, 2500, 5000, "USD")
    assert order["card_brand"] == "visa" and order["card_last4"] == "4242" and order["paid_at"] is not None
    assert order["payment_key"] == f"shop-order:{order_id}:charge" and order["payment_ref"]
    assert [c for c in gateway.charges if c[0] == order["payment_key"]] == [(order["payment_key"], 5000, "USD")]
    assert counts(pctx, listing_id, buyer.id) == (2, 2)
    with engine.connect() as conn:
        sale = conn.execute(select(commerce_tables.ledger_transactions.c.id).where(
            commerce_tables.ledger_transactions.c.dedupe_key == f"sale:{order_id}")).scalar()
    assert sale is not None, "the sale is posted to the ledger with the payment"
    with pctx.uow(write=False) as uow:
        assert "order_received" in [n.kind for n in uow.notifications.for_user(maker.id, 50, 0)]
    state = shop.my_purchase_state(pctx, buyer, listing_id)
    assert state.bought_before and state.units_bought == 2 and state.reviewable_order_ids == []


@pytest.mark.parametrize("card", [DECLINE_ON_CHARGE, DECLINE_ON_SAVE])
def test_a_refused_card_cancels_the_order_and_gives_everything_back(pctx, engine, listing, person, gateway, card):
    listing_id = listing(stock=3, per_account_limit=2)
    buyer = person()
    with pytest.raises(ChargeDeclined if card == DECLINE_ON_CHARGE else PaymentMethodRefused):
        buy(pctx, buyer, listing_id, 2, card=card)
    [order] = orders_of(engine, listing_id)
    assert order["status"] == OrderStatus.CANCELLED.value and order["paid_at"] is None
    assert counts(pctx, listing_id, buyer.id) == (0, 0), "stock and per-account count given back"
    assert gateway.charges == [c for c in gateway.charges if "shop-order" not in c[0]], "nothing charged"
    assert not shop.my_purchase_state(pctx, buyer, listing_id).bought_before
    buy(pctx, buyer, listing_id, 2)  # the whole limit is still there
    assert counts(pctx, listing_id, buyer.id) == (2, 2)


@pytest.mark.parametrize("card", [DECLINE_ON_CHARGE, DECLINE_ON_SAVE])
def test_a_payment_that_never_happened_is_no_order_anybody_sees(pctx, engine, maker, listing, person, card):
    listing_id = listing(stock=3)
    buyer = person()
    before = orders.maker_orders(pctx, maker)
    with pytest.raises((ChargeDeclined, PaymentMethodRefused)):
        buy(pctx, buyer, listing_id, 1, card=card)
    assert [o["status"] for o in orders_of(engine, listing_id)] == [OrderStatus.CANCELLED.value]  # kept for the books
    assert orders.my_orders(pctx, buyer) == [], "no 'Cancelled' order with 'Buy again' in My orders"
    after = orders.maker_orders(pctx, maker)
    assert after == before, "nor in the maker's list, counts or sources"
    assert OrderStatus.CANCELLED not in after.counts
    with pytest.raises(InvalidInput):
        orders.maker_orders(pctx, maker, OrderStatus.CANCELLED)
    paid = buy(pctx, buyer, listing_id, 1)
    assert [o.order.id for o in orders.my_orders(pctx, buyer)] == [paid]
    assert [o.id for o in orders.maker_orders(pctx, maker, listing_id=listing_id).orders] == [paid]
    assert counts(pctx, listing_id, buyer.id) == (1, 1), "the declined reservation was given back"


def test_buying_more_than_is_left_says_how_many_are_left(pctx, engine, listing, person):
    listing_id = listing(stock=3)
    first, second = person(), person()
    buy(pctx, first, listing_id, 2)
    with pytest.raises(OutOfStock) as refused:
        buy(pctx, second, listing_id, 2)
    assert refused.value.params == {"left": 1}
    assert counts(pctx, listing_id, second.id) == (2, 0)
    assert len(orders_of(engine, listing_id)) == 1, "nothing half-written"
    buy(pctx, second, listing_id, 1)
    with pytest.raises(OutOfStock) as gone:
        buy(pctx, first, listing_id, 1)
    assert gone.value.params == {"left": 0}


def test_buying_past_the_per_account_limit_says_what_is_left(pctx, engine, listing, person):
    listing_id = listing(stock=10, per_account_limit=3)
    buyer = person()
    with pytest.raises(PurchaseLimitReached) as too_many:
        buy(pctx, buyer, listing_id, 4)
    assert too_many.value.params == {"limit": 3, "left": 3}
    buy(pctx, buyer, listing_id, 2)
    with pytest.raises(PurchaseLimitReached) as more:
        buy(pctx, buyer, listing_id, 2)
    assert more.value.params == {"limit": 3, "left": 1}
    buy(pctx, buyer, listing_id, 1)
    assert counts(pctx, listing_id, buyer.id) == (3, 3)
    assert shop.my_purchase_state(pctx, buyer, listing_id).units_allowed == 0
    buy(pctx, person(), listing_id, 3)  # the limit is per account


def test_a_drop_cannot_be_bought_before_it_starts(pctx, engine, listing, person):
    starts = utcnow() + timedelta(hours=2)
    listing_id = listing(stock=5, starts_at=starts, per_account_limit=1)
    buyer = person()
    with pytest.raises(DropNotStarted):
        buy(pctx, buyer, listing_id)
    assert counts(pctx, listing_id, buyer.id) == (0, 0) and orders_of(engine, listing_id) == []
    later = replace(pctx, clock=lambda: starts + timedelta(seconds=1))
    buy(later, buyer, listing_id)
    assert counts(pctx, listing_id, buyer.id) == (1, 1)


def test_bad_requests_are_refused_before_anything_is_reserved(pctx, engine, listing, person):
    listing_id = listing(stock=5)
    buyer = person()
    with pytest.raises(NotSignedIn):
        buy(pctx, None, listing_id)  # type: ignore[arg-type]
    for quantity in (0, -1, 21):
        with pytest.raises(InvalidInput):
            buy(pctx, buyer, listing_id, quantity)
    with pytest.raises(NotFound):
        buy(pctx, buyer, 999_999)
    with pytest.raises(PaymentUnavailable):
        buy(replace(pctx, payments=None), buyer, listing_id)
    assert counts(pctx, listing_id, buyer.id) == (0, 0) and orders_of(engine, listing_id) == []


@dataclass
class SilentGateway(FakeGateway):
    """Charges (or not) but the answer never arrives: the outcome is unknown to the shop."""

    charge_happens: bool = True

    def charge(self, customer_ref, method_ref, amount, idempotency_key, description, metadata):
        if self.charge_happens:
            super().charge(customer_ref, method_ref, amount, idempotency_key, description, metadata)
        raise PaymentUnavailable()


@pytest.mark.parametrize("charged", [True, False])
def test_a_charge_in_doubt_waits_then_the_job_asks_the_provider(pctx, engine, maker, listing, person, charged):
    listing_id = listing(stock=4)
    gateway = SilentGateway(charge_happens=charged)
    silent = replace(pctx, payments=gateway)
    buyer = person()
    with pytest.raises(PaymentInDoubt):
        buy(silent, buyer, listing_id, 2)
    [order] = orders_of(engine, listing_id)
    assert order["status"] == OrderStatus.PENDING.value and counts(pctx, listing_id, buyer.id) == (2, 2)
    assert checkout.release_stale_purchases(silent) == 0, "too early: the charge may still be in flight"
    later = replace(silent, clock=lambda: utcnow() + timedelta(minutes=16))
    assert checkout.release_stale_purchases(later) == 1
    assert checkout.release_stale_purchases(later) == 0, "resolved once"
    [order] = orders_of(engine, listing_id)
    if charged:
        assert order["status"] == OrderStatus.PAID.value and order["payment_ref"]
        assert counts(pctx, listing_id, buyer.id) == (2, 2)
        with pctx.uow(write=False) as uow:
            assert uow.ledger.posted(f"sale:{order['id']}")
    else:
        assert order["status"] == OrderStatus.CANCELLED.value
        assert counts(pctx, listing_id, buyer.id) == (0, 0)


def test_a_charge_that_arrives_after_the_job_cancelled_is_refunded(pctx, engine, listing, person, gateway):
    from lib.services.commerce import checkout
    from lib.services.payments.ports import ChargeResult

    listing_id = listing(stock=2)
    buyer = person()
    order_id = buy(pctx, buyer, listing_id)
    with pctx.uow() as uow:
        uow.orders.move(order_id, [OrderStatus.PAID], OrderStatus.CANCELLED, utcnow())
        uow.commit()
    refunds: list[object] = []
    gateway.refund = lambda ref, amount, key: refunds.append((ref, amount, key))  # type: ignore[method-assign]
    assert checkout._record_paid(pctx, order_id, ChargeResult("succeeded", "pi_late")) is False
    assert refunds == [("pi_late", Money(2500, "USD"), f"shop-order:{order_id}:refund-late")]


def test_the_buyers_referrer_is_recorded_on_the_order(pctx, engine, listing, person):
    from lib.services.ledger import referrals

    listing_id = listing(stock=2)
    referrer, buyer = person(name="Referrer"), person()
    assert referrals.record_click(pctx, referrer.referral_code, "v" * 32, buyer, f"listing:{listing_id}")
    order_id = buy(pctx, buyer, listing_id)
    [order] = orders_of(engine, listing_id)
    assert order["id"] == order_id and order["referrer_id"] == referrer.id
    assert notifications.unread_count(pctx, referrer) >= 1, "the referrer hears of the commission"
