"""Pieces of the order screens: status names, order tables, the tracking editor, refund lines."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from lib.domain.errors import InvalidInput
from lib.domain.fulfilment import Refund, RefundStatus
from lib.domain.money import Money
from lib.domain.orders import Order, OrderStatus
from lib.ui.fmt import day, money
from lib.ui.i18n import t

# Spelled out (not t(f"orders.status.{s}")) so every key is a literal the catalogue check can see.
STATUS_KEYS = {
    OrderStatus.PENDING: "orders.status.pending",
    OrderStatus.PAID: "orders.status.paid",
    OrderStatus.IN_PRODUCTION: "orders.status.in_production",
    OrderStatus.SHIPPED: "orders.status.shipped",
    OrderStatus.DELIVERED: "orders.status.delivered",
    OrderStatus.CANCELLED: "orders.status.cancelled",
    OrderStatus.REFUNDED: "orders.status.refunded",
}
REFUND_KEYS = {
    RefundStatus.PENDING: "orders.refund_status.pending",
    RefundStatus.SUCCEEDED: "orders.refund_status.succeeded",
    RefundStatus.FAILED: "orders.refund_status.failed",
}


def status_name(status: OrderStatus) -> str:
    return t(STATUS_KEYS[status])


def order_label(order: Order) -> str:
    """One line naming an order in a picker: number, title, who it goes to, status."""
    return f"#{order.id} · {order.title} · {order.address.name} · {status_name(order.status)}"


def source_label(source: tuple[str, int, str] | None) -> str:
    if source is None:
        return t("orders.all_sources")
    kind, _id, title = source
    return t("orders.source_campaign" if kind == "campaign" else "orders.source_listing", title=title)


def ship_to(order: Order) -> str:
    a = order.address
    return ", ".join(p for p in (a.name, a.line1, a.line2, a.city, a.postal_code, a.country, a.phone) if p)


def tracking_text(order: Order) -> str:
    if not order.tracking_number:
        return ""
    return t("orders.tracking", carrier=order.carrier or "", number=order.tracking_number)


def orders_table(orders: Sequence[Order]) -> None:
    """The maker's orders as a read-only table (people's text is shown as data, never Markdown)."""
    st.dataframe([{
        t("orders.col_order"): f"#{o.id}", t("orders.col_date"): day(o.created_at),
        t("orders.col_title"): o.title, t("orders.col_quantity"): o.quantity,
        t("orders.col_amount"): money(o.amount),
        t("orders.col_refunded"): money(o.refunded) if o.refunded.amount else "",
        t("orders.col_status"): status_name(o.status), t("orders.col_ship_to"): ship_to(o),
        t("orders.col_tracking"): tracking_text(o),
    } for o in orders], hide_index=True, width="stretch")


def tracking_editor(orders: Sequence[Order], key: str) -> None:
    """An editable table: one tracking number per selected order, read by `typed_tracking`."""
    rows = [{"order": o.id, "ship_to": ship_to(o), "tracking": ""} for o in orders]
    st.data_editor(
        rows, key=key, hide_index=True, width="stretch", disabled=["order", "ship_to"],
        column_config={"order": st.column_config.NumberColumn(t("orders.col_order"), format="#%d"),
                       "ship_to": st.column_config.TextColumn(t("orders.col_ship_to")),
                       "tracking": st.column_config.TextColumn(t("orders.tracking_number"), max_chars=40)})


def typed_tracking(order_ids: Sequence[int], key: str) -> dict[int, str]:
    """What the tracking editor under `key`, drawn for these orders in this order, holds now (order id ->
    number typed): its edits as session state keeps them, so a click's callback can read them too."""
    edits = (st.session_state.get(key) or {}).get("edited_rows", {})
    return {order_id: str(edits.get(row, {}).get("tracking") or "").strip() for row, order_id in enumerate(order_ids)}


def refund_amount(raw: str, currency: str) -> Money | None:
    """What the refund form's amount field says: None when empty, meaning everything that is left;
    a malformed amount is InvalidInput."""
    if not (raw or "").strip():
        return None
    try:
        return Money.parse_major(raw, currency)
    except ValueError:
        raise InvalidInput("error.price_format") from None


def refund_lines(refunds: Sequence[Refund]) -> list[str]:
    return [t("orders.refund_line", amount=money(r.amount), status=t(REFUND_KEYS[r.status]),
              date=day(r.created_at)) for r in refunds]
