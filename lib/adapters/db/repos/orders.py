"""Orders: paid pre-orders and shop purchases, their fulfilment, refunds and updates to buyers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, insert, select, update
from sqlalchemy.engine import Connection, RowMapping

from lib.adapters.db.schema import campaigns as campaign_tables
from lib.adapters.db.schema import commerce as t
from lib.domain.campaigns import PreorderStatus, ShippingAddress
from lib.domain.fulfilment import NewRefund, OrderUpdate, Refund, RefundStatus
from lib.domain.money import Money
from lib.domain.orders import NewOrder, Order, OrderSource, OrderStatus

O = t.orders.c  # noqa: E741 - the table's column namespace, as C/P/Q are for the others
P, L, R, U = campaign_tables.preorders.c, t.listings.c, t.refunds.c, t.order_updates.c


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
        created_at=r["created_at"],
        paid_at=r["paid_at"], shipped_at=r["shipped_at"], delivered_at=r["delivered_at"])


ADDRESS_PARTS = ("name", "line1", "line2", "city", "postal_code", "country", "phone")


def address_columns(address: ShippingAddress) -> dict[str, str]:
    return {"ship_name": address.name, "ship_line1": address.line1, "ship_line2": address.line2,
            "ship_city": address.city, "ship_postal_code": address.postal_code,
            "ship_country": address.country, "ship_phone": address.phone}


class SqlOrderRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, order: NewOrder) -> int:
        values = {
            "source": order.source.value, "buyer_id": order.buyer_id, "maker_id": order.maker_id,
            "idea_id": order.idea_id, "campaign_id": order.campaign_id, "listing_id": order.listing_id,
            "preorder_id": order.preorder_id, "title": order.title, "quantity": order.quantity,
            "unit_price": order.unit_price.amount, "amount": order.amount.amount, "currency": order.amount.currency,
            "status": order.status.value, "referrer_id": order.referrer_id, "gateway": order.gateway,
            "customer_ref": order.customer_ref, "method_ref": order.method_ref, "card_brand": order.card_brand,
            "card_last4": order.card_last4, "payment_ref": order.payment_ref, **address_columns(order.address),
            "carrier": order.carrier, "tracking_number": order.tracking_number, "created_at": order.created_at,
            "paid_at": order.paid_at, "shipped_at": order.shipped_at, "delivered_at": order.delivered_at,
            "updated_at": order.created_at}
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

    # -- maker views ----------------------------------------------------------------------------
    def for_maker_filtered(self, maker_id: int, statuses: Sequence[OrderStatus], campaign_id: int | None = None,
                           listing_id: int | None = None, limit: int = 1000) -> list[Order]:
        stmt = select(t.orders).where(O.maker_id == maker_id, O.status.in_([s.value for s in statuses]),
                                      *_scope(campaign_id, listing_id)).order_by(O.id.desc()).limit(limit)
        return [order_from_row(r) for r in self.conn.execute(stmt).mappings()]

    def status_counts(self, maker_id: int | None = None, campaign_id: int | None = None,
                      listing_id: int | None = None) -> dict[OrderStatus, int]:
        where = [*_scope(campaign_id, listing_id)] + ([O.maker_id == maker_id] if maker_id is not None else [])
        rows = self.conn.execute(select(O.status, func.count()).where(*where).group_by(O.status))
        return {OrderStatus(status): int(n) for status, n in rows}

    def maker_sources(self, maker_id: int, statuses: Sequence[OrderStatus]) -> list[tuple[str, int, str]]:
        """The campaigns and listings the maker's orders (of these statuses) come from: (kind, id, title)."""
        rows = self.conn.execute(select(O.campaign_id, O.listing_id, func.max(O.title)).where(
            O.maker_id == maker_id, O.status.in_([s.value for s in statuses])).group_by(O.campaign_id, O.listing_id))
        found = {("campaign", c, title) if c is not None else ("listing", lst, title) for c, lst, title in rows
                 if c is not None or lst is not None}
        return sorted(found, key=lambda s: (s[0], -s[1]))

    def listings_for_campaigns(self, campaign_ids: Sequence[int]) -> dict[int, int]:
        """The listing each campaign became (campaign id -> listing id)."""
        if not campaign_ids:
            return {}
        rows = self.conn.execute(select(L.campaign_id, L.id).where(L.campaign_id.in_(list(set(campaign_ids)))))
        return {int(c): int(i) for c, i in rows}

    def buyers(self, campaign_id: int | None, listing_id: int | None, statuses: Sequence[OrderStatus]) -> list[int]:
        stmt = select(O.buyer_id).where(*_scope(campaign_id, listing_id),
                                        O.status.in_([s.value for s in statuses])).distinct()
        return sorted(int(b) for b in self.conn.execute(stmt).scalars())

    def shipped_before(self, cutoff: datetime, limit: int) -> list[Order]:
        stmt = (select(t.orders).where(O.status == OrderStatus.SHIPPED.value, O.shipped_at <= cutoff)
                .order_by(O.shipped_at, O.id).limit(limit))
        return [order_from_row(r) for r in self.conn.execute(stmt).mappings()]

    # -- pre-orders that became orders ------------------------------------------------------------
    def paid_preorders_without_order(self, limit: int) -> list[int]:
        has_order = exists().where(O.preorder_id == P.id)
        stmt = select(P.id).where(P.status == PreorderStatus.PAID.value, ~has_order).order_by(P.id).limit(limit)
        return [int(i) for i in self.conn.execute(stmt).scalars()]

    # -- refunds ----------------------------------------------------------------------------------
    def claim_refund(self, order_id: int, amount: int, refundable: Sequence[OrderStatus], now: datetime) -> bool:
        """Count `amount` as refunded only if it fits under what was paid (the guard against refunding
        more than was paid, whatever runs at once)."""
        return self.conn.execute(update(t.orders).where(
            O.id == order_id, O.refunded + amount <= O.amount, O.status.in_([s.value for s in refundable]),
        ).values(refunded=O.refunded + amount, updated_at=now)).rowcount == 1

    def unclaim_refund(self, order_id: int, amount: int, now: datetime) -> None:
        self.conn.execute(update(t.orders).where(O.id == order_id, O.refunded >= amount)
                          .values(refunded=O.refunded - amount, updated_at=now))

    def refund_count(self, order_id: int) -> int:
        return int(self.conn.execute(select(func.count()).where(R.order_id == order_id)).scalar_one())

    def add_refund(self, refund: NewRefund) -> int:
        return int(self.conn.execute(insert(t.refunds).values(
            order_id=refund.order_id, actor_id=refund.actor_id, amount=refund.amount.amount,
            currency=refund.amount.currency, status=refund.status.value, idempotency_key=refund.idempotency_key,
            reason=refund.reason, created_at=refund.created_at).returning(R.id)).scalar_one())

    def finish_refund(self, refund_id: int, status: RefundStatus, refund_ref: str | None, now: datetime) -> bool:
        return self.conn.execute(update(t.refunds).where(
            R.id == refund_id, R.status == RefundStatus.PENDING.value,
        ).values(status=status.value, refund_ref=refund_ref, finished_at=now)).rowcount == 1

    def refunded_total(self, order_id: int) -> int:
        """What the gateway confirmed refunding on the order."""
        return int(self.conn.execute(select(func.coalesce(func.sum(R.amount), 0)).where(
            R.order_id == order_id, R.status == RefundStatus.SUCCEEDED.value)).scalar_one())

    def refunds_for(self, order_ids: Sequence[int]) -> dict[int, list[Refund]]:
        found: dict[int, list[Refund]] = {i: [] for i in order_ids}
        if not order_ids:
            return found
        for r in self.conn.execute(select(t.refunds).where(R.order_id.in_(list(order_ids))).order_by(R.id)).mappings():
            found[r["order_id"]].append(Refund(
                id=r["id"], order_id=r["order_id"], actor_id=r["actor_id"], amount=Money(r["amount"], r["currency"]),
                status=RefundStatus(r["status"]), refund_ref=r["refund_ref"], reason=r["reason"],
                created_at=r["created_at"], finished_at=r["finished_at"]))
        return found

    # -- updates to buyers ------------------------------------------------------------------------
    def add_update(self, maker_id: int, campaign_id: int | None, listing_id: int | None, body_md: str,
                   now: datetime) -> int:
        return int(self.conn.execute(insert(t.order_updates).values(
            maker_id=maker_id, campaign_id=campaign_id, listing_id=listing_id, body_md=body_md, created_at=now,
        ).returning(U.id)).scalar_one())

    def updates(self, campaign_id: int | None, listing_id: int | None, limit: int = 50) -> list[OrderUpdate]:
        where = [U.campaign_id == campaign_id] if campaign_id is not None else [U.listing_id == listing_id]
        stmt = select(t.order_updates).where(*where).order_by(U.id.desc()).limit(limit)
        return [OrderUpdate(id=r["id"], maker_id=r["maker_id"], campaign_id=r["campaign_id"],
                            listing_id=r["listing_id"], body_md=r["body_md"],
                            created_at=r["created_at"])
                for r in self.conn.execute(stmt).mappings()]

    def recent_addresses(self, user_id: int, limit: int) -> list[tuple[datetime, ShippingAddress]]:
        """Where this account's orders and pre-orders shipped: each address once, with when it was last used."""
        found: list[tuple[datetime, ShippingAddress]] = []
        for table, owner in ((t.orders, O.buyer_id), (campaign_tables.preorders, P.user_id)):
            columns = [table.c[f"ship_{name}"] for name in ADDRESS_PARTS]
            stmt = (select(func.max(table.c.created_at).label("used"), *columns).where(owner == user_id)
                    .group_by(*columns).order_by(func.max(table.c.created_at).desc()).limit(limit))
            found += [(r["used"], ShippingAddress(**{name: r[f"ship_{name}"] for name in ADDRESS_PARTS}))
                      for r in self.conn.execute(stmt).mappings()]
        return found


def _scope(campaign_id: int | None, listing_id: int | None) -> list[Any]:
    where = []
    if campaign_id is not None:
        where.append(O.campaign_id == campaign_id)
    if listing_id is not None:
        where.append(O.listing_id == listing_id)
    return where
