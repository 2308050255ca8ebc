"""Shop repository (see lib/services/order_ports.py)."""

from __future__ import annotations

from sqlalchemy.engine import Connection


class SqlShopRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
