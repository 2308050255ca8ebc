"""Fulfilling orders: refunds, updates to buyers, the shipping list and when a campaign is done."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from lib.domain.errors import InvalidInput
from lib.domain.money import Money
from lib.domain.orders import SHOWN, Order, OrderStatus
from lib.domain.text import multi_line, one_line

MAX_UPDATE_LENGTH = 5000
MAX_REASON_LENGTH = 500
MAX_BULK = 500  # orders one bulk move may touch
# Orders still to be shipped (the shipping list), and the buyers an update reaches.
TO_SHIP = (OrderStatus.PAID, OrderStatus.IN_PRODUCTION)
UPDATE_AUDIENCE = (OrderStatus.PAID, OrderStatus.IN_PRODUCTION, OrderStatus.SHIPPED, OrderStatus.DELIVERED)
# What a maker sees, in the order of fulfilment (a payment that never happened is not an order).
MAKER_VISIBLE = tuple(s for s in OrderStatus if s in SHOWN)
# Cells a spreadsheet would read as a formula (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class RefundStatus(StrEnum):
    PENDING = "pending"  # claimed and sent to the gateway; outcome not recorded yet
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # the gateway could not be reached: the claimed amount was given back


@dataclass(frozen=True)
class Refund:
    id: int
    order_id: int
    actor_id: int
    amount: Money
    status: RefundStatus
    refund_ref: str | None
    reason: str
    created_at: datetime
    finished_at: datetime | None


@dataclass(frozen=True)
class NewRefund:
    """A refund claimed before the gateway is called (pending, under its idempotency key)."""

    order_id: int
    actor_id: int
    amount: Money
    status: RefundStatus
    idempotency_key: str
    reason: str
    created_at: datetime


@dataclass(frozen=True)
class OrderUpdate:
    id: int
    maker_id: int
    campaign_id: int | None
    listing_id: int | None
    body_md: str
    created_at: datetime


@dataclass(frozen=True)
class MakerOrders:
    """A maker's orders (filtered) with the count of each status over the same campaign/listing,
    and the campaigns and listings their orders come from (for the filter)."""

    orders: list[Order]
    counts: dict[OrderStatus, int]
    sources: list[tuple[str, int, str]]  # ("campaign" | "listing", id, title)


@dataclass(frozen=True)
class BuyerOrder:
    order: Order
    refunds: list[Refund]
    listing_id: int | None  # where "buy again" goes: the order's listing, or its campaign's


def clean_update(body_md: str) -> str:
    return multi_line(body_md, MAX_UPDATE_LENGTH, required="error.update_required", too_long="error.update_too_long")


def clean_reason(reason: str) -> str:
    """Why an order was refunded: one line, optional."""
    return one_line(reason, MAX_REASON_LENGTH, too_long="error.reason_too_long")


def one_scope(campaign_id: int | None, listing_id: int | None) -> None:
    """An update goes to the buyers of one campaign or one listing, never both or neither."""
    if (campaign_id is None) == (listing_id is None):
        raise InvalidInput("error.order_scope")


def spreadsheet_safe(value: object) -> str:
    """A cell a spreadsheet shows as text: formula-looking values get a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def tracking_for(order_ids: list[int], tracking: str | Mapping[int, str] | None) -> dict[int, str]:
    """One tracking number per order: the same for all, or each its own."""
    if isinstance(tracking, Mapping):
        return {i: tracking.get(i, "") for i in order_ids}
    return dict.fromkeys(order_ids, tracking or "")


def is_fulfilled(counts: Mapping[OrderStatus, int]) -> bool:
    """Every order delivered or refunded, and at least one delivered."""
    done = {OrderStatus.DELIVERED, OrderStatus.REFUNDED, OrderStatus.CANCELLED}
    return counts.get(OrderStatus.DELIVERED, 0) > 0 and all(n == 0 for s, n in counts.items() if s not in done)
