"""Two identical partial-refund clicks are one refund: the refund form's one-time request key is
claimed in the refund's own transaction, so a second submission with it (after, or at the same time)
gets the first refund instead of a second one (both databases)."""

from __future__ import annotations

import pytest

from lib.domain.errors import InvalidInput, RequestInProgress
from lib.domain.money import Money
from lib.services.commerce import refunds
from tests.orders.conftest import get_order
from tests.orders.test_refunds import RecordingGateway, refund_rows
from tests.race import kinds, race

KEY = "refund-form-drawing-0001"


@pytest.fixture
def gateway() -> RecordingGateway:
    return RecordingGateway()


def ledger_refunds(engine, order_id: int) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    with engine.connect() as conn:
        return int(conn.execute(text("SELECT COUNT(*) FROM ledger_transactions WHERE kind = 'refund' "
                                     "AND order_id = :o"), {"o": order_id}).scalar_one())


def test_the_same_refund_sent_twice_refunds_once(pctx, engine, funded, maker, gateway):
    _campaign, _backers, [order] = funded(backers=1, quantity=2)
    part = Money(order.amount.amount // 4, order.amount.currency)

    first = refunds.refund_order(pctx, maker, order.id, part, "Scratched lid.", request_key=KEY)
    again = refunds.refund_order(pctx, maker, order.id, part, "Scratched lid.", request_key=KEY)

    assert again == first
    assert get_order(pctx, order.id).refunded == part
    assert len(gateway.refunds) == 1 and len(refund_rows(engine, order.id)) == 1
    assert ledger_refunds(engine, order.id) == 1
    # A new drawing of the form is a new refund.
    assert refunds.refund_order(pctx, maker, order.id, part, "", request_key=KEY + "-b") != first
    assert get_order(pctx, order.id).refunded == part.times(2)


def test_without_a_key_the_same_click_twice_is_two_refunds(pctx, funded, maker):
    """What the key is for: the service cannot tell a double click from a second refund."""
    _campaign, _backers, [order] = funded(backers=1, quantity=2)
    part = Money(order.amount.amount // 4, order.amount.currency)
    refunds.refund_order(pctx, maker, order.id, part)
    refunds.refund_order(pctx, maker, order.id, part)
    assert get_order(pctx, order.id).refunded == part.times(2)


def test_concurrent_submissions_with_one_key_make_one_refund(pctx, engine, funded, maker, gateway):
    _campaign, _backers, [order] = funded(backers=1, quantity=2)
    part = Money(order.amount.amount // 4, order.amount.currency)

    results = race(12, lambda _i: refunds.refund_order(pctx, maker, order.id, part, "", request_key=KEY),
                   expected=RequestInProgress)

    ids = {r for r in results if isinstance(r, int)}
    assert len(ids) == 1, results  # every answer is that refund, or "still being handled"
    assert set(kinds(results)) <= {"int", "RequestInProgress"}
    assert get_order(pctx, order.id).refunded == part
    assert len(gateway.refunds) == 1 and len(refund_rows(engine, order.id)) == 1
    assert ledger_refunds(engine, order.id) == 1
    assert refunds.refund_order(pctx, maker, order.id, part, "", request_key=KEY) == ids.pop()  # settled: the id


def test_a_refund_the_gateway_never_made_may_be_sent_again_with_its_key(pctx, engine, funded, maker, gateway):
    from lib.services.payments.ports import PaymentUnavailable

    _campaign, _backers, [order] = funded(backers=1, quantity=2)
    part = Money(order.amount.amount // 4, order.amount.currency)
    gateway.down = True
    with pytest.raises(PaymentUnavailable):
        refunds.refund_order(pctx, maker, order.id, part, "", request_key=KEY)
    gateway.down = False
    refund_id = refunds.refund_order(pctx, maker, order.id, part, "", request_key=KEY)
    assert refunds.refund_order(pctx, maker, order.id, part, "", request_key=KEY) == refund_id
    assert get_order(pctx, order.id).refunded == part and len(gateway.refunds) == 1


def test_a_key_belongs_to_one_refund_form_and_one_account(pctx, funded, maker, person):
    _campaign, _backers, [first, second] = funded(backers=2)
    part = Money(100, first.amount.currency)
    refunds.refund_order(pctx, maker, first.id, part, "", request_key=KEY)
    with pytest.raises(InvalidInput) as caught:  # the same key for another order: refused, nothing refunded
        refunds.refund_order(pctx, maker, second.id, part, "", request_key=KEY)
    assert caught.value.key == "error.request_key_invalid"
    assert get_order(pctx, second.id).refunded.amount == 0
    for bad in ("", "short", "x" * 65, "spaces are not allowed here", "ключ-ключ-ключ-ключ"):
        with pytest.raises(InvalidInput):
            refunds.refund_order(pctx, maker, second.id, part, "", request_key=bad)
    assert get_order(pctx, second.id).refunded.amount == 0
