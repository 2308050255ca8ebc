"""The plain parts of fulfilment: status names in both languages, spreadsheet-safe cells, when a
campaign counts as fulfilled, one tracking number per order."""

from __future__ import annotations

import pytest

from lib.domain.fulfilment import RefundStatus, is_fulfilled, spreadsheet_safe, tracking_for
from lib.domain.orders import OrderStatus
from lib.i18n import catalogue
from lib.ui.commerce.order_panels import REFUND_KEYS, STATUS_KEYS

S = OrderStatus


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_order_and_refund_status_has_a_name(lang):
    texts = catalogue(lang)
    assert set(STATUS_KEYS) == set(OrderStatus) and set(REFUND_KEYS) == set(RefundStatus)
    assert all(texts.get(key, "").strip() for key in [*STATUS_KEYS.values(), *REFUND_KEYS.values()])


@pytest.mark.parametrize(("cell", "safe"), [
    ("=1+1", "'=1+1"), ("+82 10", "'+82 10"), ("-3", "'-3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\r=1", "'\r=1"), ("Mina Kim", "Mina Kim"), ("12 Hangang-daero", "12 Hangang-daero"), ("", ""), (None, ""),
    (42, "42"), ("a=b", "a=b"),
])
def test_spreadsheet_safe(cell, safe):
    assert spreadsheet_safe(cell) == safe


@pytest.mark.parametrize(("counts", "done"), [
    ({S.DELIVERED: 2}, True),
    ({S.DELIVERED: 1, S.REFUNDED: 3}, True),
    ({S.REFUNDED: 2}, False),  # nothing delivered
    ({S.DELIVERED: 1, S.SHIPPED: 1}, False),
    ({S.DELIVERED: 1, S.PAID: 0}, True),
    ({}, False),
])
def test_is_fulfilled(counts, done):
    assert is_fulfilled(counts) is done


def test_tracking_for_one_or_each():
    assert tracking_for([1, 2], "CJ-1") == {1: "CJ-1", 2: "CJ-1"}
    assert tracking_for([1, 2], {1: "A-11", 3: "X"}) == {1: "A-11", 2: ""}
    assert tracking_for([1], None) == {1: ""}
