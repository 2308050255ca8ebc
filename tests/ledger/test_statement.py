"""Earnings per role, the statement with its running balance, and its CSV (both databases)."""

from __future__ import annotations

import csv
import io

from lib.domain.money import Money
from lib.services.ledger import books, payouts
from lib.services.ledger.books import describe
from tests.ledger.conftest import refund, sell


def test_one_person_in_several_roles_sees_each(pctx, deal, person):
    d = deal(co_creators=1, campaign=False)
    # The creator also refers a friend to a second sale: creator + referrer earnings.
    first = sell(pctx, d, person(), amount=10_000, source="shop")
    second = sell(pctx, d, person(), amount=20_000, source="shop", referrer=d.author)
    mine = books.earnings(pctx, d.author)
    assert mine.by_role == {"maker": Money(0, "USD"), "creator": Money(500 + 1000, "USD"),
                            "co_creator": Money(0, "USD"), "referrer": Money(600, "USD")}
    assert mine.balance == Money(2_100, "USD") and mine.pending == Money(0, "USD")
    assert books.earnings(pctx, d.co_creators[0]).by_role["co_creator"] == Money(100 + 200, "USD")
    rows = books.statement(pctx, d.author)
    assert [(r.order_id, r.account, r.amount.amount, r.balance.amount) for r in rows] == [
        (first.id, "creator", 500, 500), (second.id, "creator", 1000, 1500), (second.id, "referrer", 600, 2100)]


def test_the_statement_csv_has_every_entry_and_the_running_balance(pctx, deal, person, admin):
    d = deal(co_creators=0, campaign=False)
    order = sell(pctx, d, person(), amount=10_000, source="shop", title="=HYPERLINK(\"http://x\")")
    refund(pctx, order, 1, 2_500)
    payout_id = payouts.request_payout(pctx, d.author, Money(300, "USD"))
    payouts.mark_payout_paid(pctx, admin, payout_id, "BANK-1")

    rows = list(csv.reader(io.StringIO(books.statement_csv(pctx, d.author))))
    assert rows[0] == ["Date", "Order", "Product", "Role", "Amount (USD)", "Balance (USD)"]
    body = [r[1:] for r in rows[1:]]
    assert body == [
        [str(order.id), "'=HYPERLINK(\"http://x\")", "As creator", "6.00", "6.00"],  # royalty 5 % + pool 1 %
        [str(order.id), "Refund: =HYPERLINK(\"http://x\")", "As creator", "-1.50", "4.50"],
        ["", f"Payout #{payout_id}", "As creator", "-3.00", "1.50"],
    ]
    assert all(len(r[0]) == len("2026-01-01 00:00") for r in rows[1:])
    assert books.earnings(pctx, d.author).balance == Money(150, "USD")

    korean = list(csv.reader(io.StringIO(books.statement_csv(pctx, d.author, lang="ko"))))
    assert korean[0][0] == "날짜" and korean[1][3] == "창작자 수익"
    assert describe(books.statement(pctx, d.author)[2], "ko") == f"지급 #{payout_id}"


def test_nobody_sees_anyone_elses_statement(pctx, deal, person):
    d = deal(co_creators=0, campaign=False)
    sell(pctx, d, person(), amount=10_000, source="shop")
    stranger = person(name="Stranger")
    assert books.statement(pctx, stranger) == []
    assert books.statement_csv(pctx, stranger).count("\n") == 1
    assert books.earnings(pctx, stranger).balance == Money(0, "USD")
