"""Reading referral clicks back and writing the rows other areas would (orders, ledger entries)."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select

from lib.adapters.db.schema import commerce as commerce_tables
from lib.domain.campaigns import ShippingAddress
from lib.domain.money import Money
from lib.domain.orders import NewOrder, OrderSource, OrderStatus
from lib.services.context import AppContext

_n = itertools.count(1)


def clicks(engine: Any, **where: Any) -> list[dict[str, Any]]:
    """Every referral_clicks row matching column=value (oldest first)."""
    c = commerce_tables.referral_clicks.c
    clicks = commerce_tables.referral_clicks
    stmt = select(clicks).where(*[c[name] == value for name, value in where.items()]).order_by(c.id)
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(stmt).mappings()]


def click_total(engine: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(commerce_tables.referral_clicks)).scalar_one())


def add_click(engine: Any, referrer_id: int, user_id: int | None, at: datetime, visitor: str = "v" * 16) -> None:
    """A click row as record_click would write it (lets a test place clicks at any time)."""
    with engine.begin() as conn:
        conn.execute(insert(commerce_tables.referral_clicks).values(referrer_id=referrer_id, visitor_key=visitor,
                                                      user_id=user_id, target="idea:1", created_at=at))


def add_order(ctx: AppContext, *, buyer_id: int, maker_id: int, idea_id: int, referrer_id: int | None,
              amount: int, at: datetime, status: OrderStatus = OrderStatus.PAID, title: str = "Folding stool",
              currency: str = "USD") -> int:
    """A shop order as the shop would store it once paid."""
    with ctx.uow() as uow:
        order_id = uow.orders.add(NewOrder(
            source=OrderSource.SHOP, buyer_id=buyer_id, maker_id=maker_id, idea_id=idea_id, title=title, quantity=1,
            unit_price=Money(amount, currency), amount=Money(amount, currency), status=status,
            referrer_id=referrer_id, gateway="local",
            address=ShippingAddress(name="Mina Kim", line1="12 Hangang-daero", line2="", city="Seoul",
                                    postal_code="04301", country="KR", phone=""),
            created_at=at, paid_at=at if status is not OrderStatus.PENDING else None))
        uow.commit()
    return int(order_id)


def post(engine: Any, key: str, order_id: int | None, referrer_id: int, referrer_amount: int, at: datetime,
         currency: str = "USD") -> None:
    """A balanced ledger transaction touching the referrer's account by `referrer_amount`
    (credit negative), the rest against cash."""
    with engine.begin() as conn:
        tx = conn.execute(insert(commerce_tables.ledger_transactions).values(
            kind=key.split(":")[0], dedupe_key=f"{key}:test-{next(_n)}", order_id=order_id, currency=currency,
            created_at=at).returning(commerce_tables.ledger_transactions.c.id)).scalar_one()
        conn.execute(insert(commerce_tables.ledger_entries), [
            {"transaction_id": tx, "account": "referrer", "user_id": referrer_id, "amount": referrer_amount,
             "currency": currency},
            {"transaction_id": tx, "account": "cash", "user_id": None, "amount": -referrer_amount,
             "currency": currency}])
