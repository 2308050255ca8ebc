"""The double-entry ledger (being written: see the brief)."""

from __future__ import annotations

from typing import Any

from lib.domain.money import Money
from lib.domain.orders import Order
from lib.services.context import AppContext


def post_sale(ctx: AppContext, uow: Any, order: Order) -> None:
    """Inside the caller's transaction: the sale of a paid order, split (once per order)."""


def post_refund(ctx: AppContext, uow: Any, order: Order, refund_id: int, amount: Money) -> None:
    """Inside the caller's transaction: reverse `amount` of the order's sale proportionally."""
