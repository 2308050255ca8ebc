"""Ports for the back half of the journey: orders, the shop, referrals and the ledger.

Each Protocol is implemented by one module in lib/adapters/db/ (orders_repo, shop_repo,
referrals_repo, ledger_repo) and reached through the unit of work (uow.orders, uow.shop,
uow.referrals, uow.ledger)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from lib.domain.orders import Order, OrderStatus


class OrderRepository(Protocol):
    def add(self, values: dict[str, Any]) -> int:
        """Insert one order (columns of the orders table); returns its id."""
        ...

    def get(self, order_id: int) -> Order | None: ...

    def by_preorder(self, preorder_id: int) -> Order | None: ...

    def move(self, order_id: int, from_statuses: Sequence[OrderStatus], to: OrderStatus, now: datetime,
             **values: Any) -> bool:
        """A conditional status change: the row moves only from one of the expected statuses."""
        ...

    def for_buyer(self, buyer_id: int) -> list[Order]: ...

    def for_maker(self, maker_id: int, statuses: Sequence[OrderStatus] | None = None) -> list[Order]: ...


class ShopRepository(Protocol):
    """Listings, stock, per-account limits, reviews and reminders (lib/adapters/db/shop_repo.py)."""


class ReferralRepository(Protocol):
    """Referral clicks and attribution (lib/adapters/db/referrals_repo.py)."""


class LedgerRepository(Protocol):
    """Double-entry transactions, balances and payouts (lib/adapters/db/ledger_repo.py)."""
