"""Refunds through the gateway: partial then full, never more than was paid (also under concurrent
refunds), nothing written when refused, and a gateway failure gives the claimed amount back."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pytest
from sqlalchemy import text

from lib.domain.accounts import Role
from lib.domain.errors import InvalidInput, PermissionDenied
from lib.domain.fulfilment import RefundStatus
from lib.domain.money import Money
from lib.domain.orders import OrderStatus, RefundTooLarge
from lib.services.commerce import orders, refunds
from lib.services.messaging.notifications import money_param
from lib.services.payments.ports import PaymentUnavailable, RefundResult
from tests.commerce_fixtures import FakeGateway
from tests.orders.conftest import get_order, inbox, kinds
from tests.race import race


@dataclass
class RecordingGateway(FakeGateway):
    """The fake gateway, remembering each refund it was asked for; `down` makes it unreachable."""

    refunds: list[tuple[str, Money, str]] = field(default_factory=list)
    down: bool = False

    def refund(self, payment_ref, amount, idempotency_key):
        if self.down:
            raise PaymentUnavailable("gateway unreachable")
        with self.lock:
            self.refunds.append((payment_ref, amount, idempotency_key))
        return RefundResult(f"re_{len(self.refunds)}", amount)


@pytest.fixture
def gateway() -> RecordingGateway:  # replaces the plain fake gateway for every fixture in this module
    return RecordingGateway()


def refund_rows(engine, order_id: int) -> list[tuple[int, str, str]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT amount, status, idempotency_key FROM refunds WHERE order_id = :o ORDER BY id"), {"o": order_id})]


def test_a_partial_then_a_full_refund(pctx, engine, funded, maker, gateway):
    _campaign_id, backers, found = funded(backers=1, quantity=2)
    order = found[0]
    part = Money(order.amount.amount // 4, order.amount.currency)
    refunds.refund_order(pctx, maker, order.id, part, "One unit arrived scratched.")
    after = get_order(pctx, order.id)
    assert (after.refunded, after.status, after.refundable) == (part, OrderStatus.PAID, order.amount - part)
    assert gateway.refunds == [(order.payment_ref, part, f"{pctx.key_prefix}refund:{order.id}:1")]
    assert inbox(pctx, backers[0].id, "order_refunded") == [{"title": order.title, "amount": money_param(part)}]

    refunds.refund_order(pctx, maker, order.id, None, "")  # the rest
    after = get_order(pctx, order.id)
    rest = order.amount - part
    assert (after.refunded, after.status, after.refundable.amount) == (order.amount, OrderStatus.REFUNDED, 0)
    assert gateway.refunds[1] == (order.payment_ref, rest, f"{pctx.key_prefix}refund:{order.id}:2")
    assert refund_rows(engine, order.id) == [(part.amount, "succeeded", f"{pctx.key_prefix}refund:{order.id}:1"),
                                             (rest.amount, "succeeded", f"{pctx.key_prefix}refund:{order.id}:2")]
    [mine] = orders.my_orders(pctx, backers[0])
    assert [(r.amount, r.status) for r in mine.refunds] == [(part, RefundStatus.SUCCEEDED),
                                                            (rest, RefundStatus.SUCCEEDED)]
    with pytest.raises(RefundTooLarge):  # nothing is left
        refunds.refund_order(pctx, maker, order.id, None, "")


def test_an_admin_may_refund_any_order(pctx, funded, person):
    _campaign_id, _backers, found = funded(backers=1)
    refunds.refund_order(pctx, person(Role.ADMIN), found[0].id, None, "Chargeback avoided.")
    assert get_order(pctx, found[0].id).status is OrderStatus.REFUNDED


@pytest.mark.parametrize("extra", [1, 10_000])
def test_refunding_more_than_is_left_is_refused_and_nothing_is_written(pctx, engine, funded, maker, gateway, extra):
    _campaign_id, backers, found = funded(backers=1)
    order = found[0]
    with pytest.raises(RefundTooLarge) as refused:
        refunds.refund_order(pctx, maker, order.id, Money(order.amount.amount + extra, order.amount.currency), "")
    assert refused.value.params == {"max": order.amount}
    assert get_order(pctx, order.id) == order
    assert refund_rows(engine, order.id) == [] and gateway.refunds == []
    assert "order_refunded" not in kinds(pctx, backers[0].id)


@pytest.mark.parametrize(("amount", "key"), [(0, "error.refund_amount_positive"),
                                             (-100, "error.refund_amount_positive")])
def test_a_refund_must_be_positive_and_in_the_orders_currency(pctx, engine, funded, maker, amount, key):
    _campaign_id, _backers, found = funded(backers=1)
    order = found[0]
    with pytest.raises(InvalidInput) as refused:
        refunds.refund_order(pctx, maker, order.id, Money(amount, order.amount.currency), "")
    assert refused.value.key == key
    other = "KRW" if order.amount.currency != "KRW" else "USD"
    with pytest.raises(InvalidInput) as mismatch:
        refunds.refund_order(pctx, maker, order.id, Money(100, other), "")
    assert mismatch.value.key == "error.currency_mismatch"
    with pytest.raises(InvalidInput) as long_reason:
        refunds.refund_order(pctx, maker, order.id, None, "x" * 501)
    assert long_reason.value.key == "error.reason_too_long"
    assert refund_rows(engine, order.id) == [] and get_order(pctx, order.id) == order


def test_concurrent_refunds_never_exceed_what_was_paid(pctx, engine, funded, maker, gateway):
    _campaign_id, _backers, found = funded(backers=1, quantity=2)
    order = found[0]
    quarter = Money(order.amount.amount // 4, order.amount.currency)
    assert quarter.amount * 4 == order.amount.amount
    results = race(12, lambda _i: refunds.refund_order(pctx, maker, order.id, quarter, ""), expected=RefundTooLarge)
    outcomes = ["too large" if isinstance(r, RefundTooLarge) else "ok" for r in results]
    assert sorted(outcomes) == ["ok"] * 4 + ["too large"] * 8
    after = get_order(pctx, order.id)
    assert (after.refunded, after.status) == (order.amount, OrderStatus.REFUNDED)
    assert sum(m.amount for _ref, m, _key in gateway.refunds) == order.amount.amount
    rows = refund_rows(engine, order.id)
    assert [r[1] for r in rows] == ["succeeded"] * 4 and len({r[2] for r in rows}) == 4


def test_a_gateway_failure_leaves_the_order_as_it_was(pctx, engine, funded, maker, gateway):
    _campaign_id, backers, found = funded(backers=1)
    order = found[0]
    gateway.down = True
    with pytest.raises(PaymentUnavailable):
        refunds.refund_order(pctx, maker, order.id, None, "")
    after = get_order(pctx, order.id)
    assert (after.refunded.amount, after.status) == (0, OrderStatus.PAID)
    assert refund_rows(engine, order.id) == [(order.amount.amount, "failed", f"{pctx.key_prefix}refund:{order.id}:1")]
    assert "order_refunded" not in kinds(pctx, backers[0].id)
    [mine] = orders.my_orders(pctx, backers[0])
    assert [r.status for r in mine.refunds] == [RefundStatus.FAILED]

    gateway.down = False  # tried again later: a fresh key, and it goes through
    refunds.refund_order(pctx, maker, order.id, None, "")
    assert get_order(pctx, order.id).status is OrderStatus.REFUNDED
    assert [r[1:] for r in refund_rows(engine, order.id)] == [("failed", f"{pctx.key_prefix}refund:{order.id}:1"),
                                                              ("succeeded", f"{pctx.key_prefix}refund:{order.id}:2")]


def test_the_amount_is_claimed_before_the_gateway_is_called(pctx, funded, maker, gateway):
    """While the gateway is being asked, the order already counts the refund: a second refund
    started meanwhile sees only what is left."""
    _campaign_id, _backers, found = funded(backers=1)
    order = found[0]
    seen: list[Money] = []

    class Peeking(RecordingGateway):
        def refund(self, payment_ref, amount, idempotency_key):
            seen.append(get_order(pctx, order.id).refunded)
            with pytest.raises(RefundTooLarge):
                refunds.refund_order(pctx, maker, order.id, Money(1, order.amount.currency), "")
            return super().refund(payment_ref, amount, idempotency_key)

    refunds.refund_order(replace(pctx, payments=Peeking()), maker, order.id, None, "")
    assert seen == [order.amount]
    assert get_order(pctx, order.id).status is OrderStatus.REFUNDED


def test_a_pending_shop_order_cannot_be_refunded(pctx, engine, funded, maker):
    _campaign_id, _backers, found = funded(backers=1)
    with engine.begin() as conn:
        conn.execute(text("UPDATE orders SET status = 'cancelled' WHERE id = :o"), {"o": found[0].id})
    with pytest.raises(RefundTooLarge):
        refunds.refund_order(pctx, maker, found[0].id, None, "")


def test_only_the_maker_or_an_admin_refunds(pctx, engine, funded, other_maker, person):
    _campaign_id, backers, found = funded(backers=1)
    for who in (other_maker, backers[0], person(Role.MODERATOR)):
        with pytest.raises(PermissionDenied):
            refunds.refund_order(pctx, who, found[0].id, None, "")
    with pytest.raises(PermissionDenied):
        refunds.refund_order(pctx, other_maker, 999_999, None, "")
    assert refund_rows(engine, found[0].id) == [] and get_order(pctx, found[0].id) == found[0]
