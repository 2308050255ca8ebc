"""Payout requests and decisions on real SQLite and PostgreSQL: never above the balance (also under
concurrent requests), paid once, declined with a reason, admins only."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from lib.domain.errors import InvalidInput, NotSignedIn, PermissionDenied
from lib.domain.ledger import PayoutStatus
from lib.domain.money import Money
from lib.domain.orders import InsufficientBalance
from lib.services.ledger import books, payouts
from lib.services.messaging import notifications
from lib.services.messaging.notifications import money_param
from tests.ledger.conftest import refund, sell
from tests.race import race


def payout_rows(engine) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT COUNT(*) FROM payouts")).scalar_one())


@pytest.fixture
def earner(pctx, deal, person):
    """The maker of a paid order: (maker, balance in minor units, the order)."""
    d = deal(co_creators=0, campaign=False)
    order = sell(pctx, d, person(name="Buyer"), amount=100_000, source="shop")
    balance = books.earnings(pctx, d.maker).balance
    assert balance.amount > 0
    return d.maker, balance.amount, order


def usd(pctx, amount: int) -> Money:
    return Money(amount, pctx.currency)


def test_a_request_above_the_balance_is_refused_and_nothing_is_written(pctx, engine, earner):
    maker, balance, _ = earner
    with pytest.raises(InsufficientBalance) as caught:
        payouts.request_payout(pctx, maker, usd(pctx, balance + 1))
    assert caught.value.params == {"max": usd(pctx, balance)}
    assert payout_rows(engine) == 0
    for bad in (0, -5):
        with pytest.raises(InvalidInput) as refused:
            payouts.request_payout(pctx, maker, usd(pctx, bad))
        assert refused.value.key == "error.payout_positive"
    with pytest.raises(InvalidInput):
        payouts.request_payout(pctx, maker, Money(100, "KRW"))
    with pytest.raises(NotSignedIn):
        payouts.request_payout(pctx, None, usd(pctx, 1))
    assert payout_rows(engine) == 0


def test_requests_reserve_the_balance(pctx, earner, person):
    maker, balance, _ = earner
    payouts.request_payout(pctx, maker, usd(pctx, balance - 100))
    mine = books.earnings(pctx, maker)
    assert (mine.balance.amount, mine.pending.amount, mine.available.amount) == (balance, balance - 100, 100)
    with pytest.raises(InsufficientBalance) as caught:
        payouts.request_payout(pctx, maker, usd(pctx, 101))
    assert caught.value.params == {"max": usd(pctx, 100)}
    payouts.request_payout(pctx, maker, usd(pctx, 100))
    with pytest.raises(InsufficientBalance):  # someone with no earnings at all
        payouts.request_payout(pctx, person(), usd(pctx, 1))


def test_concurrent_requests_never_exceed_the_balance(pctx, engine, earner):
    """20 threads each ask for 30 % of the balance at once: exactly three fit."""
    maker, balance, _ = earner
    share = balance * 30 // 100
    results = race(20, lambda _i: payouts.request_payout(pctx, maker, usd(pctx, share)), expected=InsufficientBalance)
    outcomes = ["refused" if isinstance(r, InsufficientBalance) else "ok" for r in results]
    assert sorted(outcomes) == ["ok"] * 3 + ["refused"] * 17
    with engine.connect() as conn:
        reserved = conn.execute(text("SELECT SUM(amount) FROM payouts WHERE status = 'requested'")).scalar_one()
    assert int(reserved) == 3 * share <= balance


def test_marking_paid_posts_the_payout_once_and_tells_the_payee(pctx, engine, earner, admin):
    maker, balance, _ = earner
    payout_id = payouts.request_payout(pctx, maker, usd(pctx, 5_000))
    [(queued, queued_balance)] = payouts.payout_queue(pctx, admin)
    assert queued.id == payout_id and queued_balance.amount == balance and queued.user_name == maker.display_name
    with pytest.raises(InvalidInput) as caught:
        payouts.mark_payout_paid(pctx, admin, payout_id, "<script>x</script>")
    assert caught.value.key == "error.transfer_ref_invalid"
    payouts.mark_payout_paid(pctx, admin, payout_id, "  BANK-2026/11 #42 ")
    mine = books.earnings(pctx, maker)
    assert (mine.balance.amount, mine.pending.amount) == (balance - 5_000, 0)
    assert mine.by_role["maker"].amount == balance, "earnings per role are what was earned, not what is left"
    with pytest.raises(InvalidInput) as again:
        payouts.mark_payout_paid(pctx, admin, payout_id, "BANK-2")
    assert again.value.key == "error.payout_decided"
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT e.account, e.user_id, e.amount FROM ledger_entries e JOIN "
                                 "ledger_transactions t ON t.id = e.transaction_id WHERE t.kind = 'payout'")).all()
    assert sorted(rows, key=str) == sorted([("maker", maker.id, 5_000), ("cash", None, -5_000)], key=str)
    [paid] = payouts.my_payouts(pctx, maker)
    assert (paid.status, paid.transfer_ref) == (PayoutStatus.PAID, "BANK-2026/11 #42")
    [note] = [n for n in notifications.inbox(pctx, maker) if n.kind == "payout_paid"]
    assert note.params == {"amount": money_param(usd(pctx, 5_000)), "reference": "BANK-2026/11 #42"}
    assert payouts.payout_queue(pctx, admin) == []


def test_declining_frees_the_amount_and_says_why(pctx, earner, admin):
    maker, balance, _ = earner
    payout_id = payouts.request_payout(pctx, maker, usd(pctx, balance))
    with pytest.raises(InvalidInput):
        payouts.reject_payout(pctx, admin, payout_id, "   ")
    payouts.reject_payout(pctx, admin, payout_id, "Bank details missing.")
    assert books.earnings(pctx, maker).available.amount == balance
    [declined] = payouts.my_payouts(pctx, maker)
    assert (declined.status, declined.note) == (PayoutStatus.REJECTED, "Bank details missing.")
    [note] = [n for n in notifications.inbox(pctx, maker) if n.kind == "payout_rejected"]
    assert note.params["note"] == "Bank details missing."
    with pytest.raises(InvalidInput):
        payouts.mark_payout_paid(pctx, admin, payout_id, "LATE-1")


def test_a_refund_after_the_request_stops_paying_more_than_is_owed(pctx, earner, admin):
    maker, balance, order = earner
    payout_id = payouts.request_payout(pctx, maker, usd(pctx, balance))
    refund(pctx, order, 1, order.amount.amount // 2)
    with pytest.raises(InsufficientBalance):
        payouts.mark_payout_paid(pctx, admin, payout_id, "BANK-1")
    assert payouts.my_payouts(pctx, maker)[0].status is PayoutStatus.REQUESTED, "nothing half-written"
    assert books.earnings(pctx, maker).balance.amount < balance


def test_only_admins_decide_payouts_or_see_payables(pctx, earner, person, admin):
    maker, balance, _ = earner
    payout_id = payouts.request_payout(pctx, maker, usd(pctx, 1_000))
    for someone in (maker, person()):
        with pytest.raises(PermissionDenied):
            payouts.mark_payout_paid(pctx, someone, payout_id, "BANK-1")
        with pytest.raises(PermissionDenied):
            payouts.reject_payout(pctx, someone, payout_id, "no")
        with pytest.raises(PermissionDenied):
            books.payables(pctx, someone)
        with pytest.raises(PermissionDenied):
            payouts.payout_queue(pctx, someone)
    [owed] = [p for p in books.payables(pctx, admin) if p.user_id == maker.id]
    assert (owed.balance.amount, owed.pending.amount, owed.available.amount) == (balance, 1_000, balance - 1_000)
    assert owed.email == maker.email
    assert all(p.balance.amount > 0 or p.pending.amount > 0 for p in books.payables(pctx, admin))
