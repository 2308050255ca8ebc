"""Orders: paid pre-orders and shop purchases, and their fulfilment."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, RowMapping

from lib.adapters.db import tables as t
from lib.adapters.db.repositories import aware
from lib.domain.campaigns import ShippingAddress
from lib.domain.money import Money
from lib.domain.orders import Order, OrderSource, OrderStatus

O = t.orders.c  # noqa: E741 - the table's column namespace, as C/P/Q are for the others


def order_from_row(r: RowMapping) -> Order:
    cur = r["currency"]
    return Order(
        id=r["id"], source=OrderSource(r["source"]), buyer_id=r["buyer_id"], maker_id=r["maker_id"],
        idea_id=r["idea_id"], campaign_id=r["campaign_id"], listing_id=r["listing_id"],
        preorder_id=r["preorder_id"], title=r["title"], quantity=r["quantity"],
        unit_price=Money(r["unit_price"], cur), amount=Money(r["amount"], cur), refunded=Money(r["refunded"], cur),
        status=OrderStatus(r["status"]), referrer_id=r["referrer_id"], payment_ref=r["payment_ref"],
        card_brand=r["card_brand"], card_last4=r["card_last4"], carrier=r["carrier"],
        tracking_number=r["tracking_number"],
        address=ShippingAddress(name=r["ship_name"], line1=r["ship_line1"], line2=r["ship_line2"],
                                city=r["ship_city"], postal_code=r["ship_postal_code"], country=r["ship_country"],
                                phone=r["ship_phone"]),
        created_at=aware(r["created_at"]),  # type: ignore[arg-type]
        paid_at=aware(r["paid_at"]), shipped_at=aware(r["shipped_at"]), delivered_at=aware(r["delivered_at"]))


def address_columns(address: ShippingAddress) -> dict[str, str]:
    return {"ship_name": address.name, "ship_line1": address.line1, "ship_line2": address.line2,
            "ship_city": address.city, "ship_postal_code": address.postal_code,
            "ship_country": address.country, "ship_phone": address.phone}


class SqlOrderRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, values: dict[str, Any]) -> int:
        values = {"updated_at": values["created_at"]} | values
        return int(self.conn.execute(insert(t.orders).values(**values).returning(O.id)).scalar_one())

    def get(self, order_id: int) -> Order | None:
        r = self.conn.execute(select(t.orders).where(O.id == order_id)).mappings().first()
        return order_from_row(r) if r else None

    def by_preorder(self, preorder_id: int) -> Order | None:
        r = self.conn.execute(select(t.orders).where(O.preorder_id == preorder_id)).mappings().first()
        return order_from_row(r) if r else None

    def move(self, order_id: int, from_statuses: Sequence[OrderStatus], to: OrderStatus, now: datetime,
             **values: Any) -> bool:
        return self.conn.execute(update(t.orders).where(
            O.id == order_id, O.status.in_([s.value for s in from_statuses]),
        ).values(status=to.value, updated_at=now, **values)).rowcount == 1

    def for_buyer(self, buyer_id: int) -> list[Order]:
        stmt = select(t.orders).where(O.buyer_id == buyer_id).order_by(O.id.desc())
        return [order_from_row(r) for r in self.conn.execute(stmt).mappings()]

    def for_maker(self, maker_id: int, statuses: Sequence[OrderStatus] | None = None) -> list[Order]:
        stmt = select(t.orders).where(O.maker_id == maker_id).order_by(O.id.desc())
        if statuses is not None:
            stmt = stmt.where(O.status.in_([s.value for s in statuses]))
        return [order_from_row(r) for r in self.conn.execute(stmt).mappings()]
