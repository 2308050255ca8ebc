"""Payout forms sent twice are one effect: a payee's request and an admin's "mark paid" carry a
one-time request key; a replay (after, or at the same time) gets the first result (both databases)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from lib.domain.errors import InvalidInput
from lib.domain.money import Money
from lib.services.ledger import books, payouts
from tests.ledger.conftest import sell
from tests.race import race

KEY = "payout-form-drawing-0001"


@pytest.fixture
def earner(pctx, deal, person):  # type: ignore[no-untyped-def]
    d = deal(co_creators=0, campaign=False)
    sell(pctx, d, person(name="Buyer"), amount=100_000, source="shop")
    return d.maker


def count(engine, sql: str) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


def test_a_payout_request_sent_twice_is_one(pctx, engine, earner):
    amount = Money(1_000, pctx.currency)
    first = payouts.request_payout(pctx, earner, amount, request_key=KEY)
    assert payouts.request_payout(pctx, earner, amount, request_key=KEY) == first
    assert [p.id for p in payouts.my_payouts(pctx, earner)] == [first]
    assert books.earnings(pctx, earner).pending == amount


def test_concurrent_payout_requests_with_one_key_are_one(pctx, engine, earner):
    amount = Money(1_000, pctx.currency)
    results = race(10, lambda _i: payouts.request_payout(pctx, earner, amount, request_key=KEY))
    assert len(set(results)) == 1
    assert count(engine, "SELECT COUNT(*) FROM payouts") == 1


def test_mark_paid_sent_twice_posts_the_payout_once(pctx, engine, earner, admin):
    payout = payouts.request_payout(pctx, earner, Money(1_000, pctx.currency))
    payouts.mark_payout_paid(pctx, admin, payout, "BANK-9", request_key=KEY)
    payouts.mark_payout_paid(pctx, admin, payout, "BANK-9", request_key=KEY)  # the double click: nothing more
    with pytest.raises(InvalidInput):  # without its key a second "mark paid" is refused, as before
        payouts.mark_payout_paid(pctx, admin, payout, "BANK-9")
    assert count(engine, "SELECT COUNT(*) FROM ledger_transactions WHERE kind = 'payout'") == 1
    assert count(engine, "SELECT COUNT(*) FROM audit_log WHERE action = 'mark_payout_paid'") == 1


def test_concurrent_mark_paid_with_one_key_posts_once(pctx, engine, earner, admin):
    payout = payouts.request_payout(pctx, earner, Money(1_000, pctx.currency))
    race(8, lambda _i: payouts.mark_payout_paid(pctx, admin, payout, "BANK-9", request_key=KEY))
    assert count(engine, "SELECT COUNT(*) FROM ledger_transactions WHERE kind = 'payout'") == 1
