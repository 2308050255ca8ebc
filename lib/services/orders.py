"""Orders and their fulfilment (being written: see the brief)."""

from __future__ import annotations

from typing import Any

from lib.services.context import AppContext


def order_from_preorder(ctx: AppContext, uow: Any, preorder_id: int) -> int | None:
    """Inside the settlement transaction that marked a pre-order paid: its order (once)."""
    return None


def sync_paid_preorders(ctx: AppContext) -> int:
    return 0


def confirm_due_deliveries(ctx: AppContext) -> int:
    return 0
