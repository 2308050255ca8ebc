"""Orders (paid pre-orders and shop purchases), their fulfilment, listings and reviews."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from lib.domain.campaigns import ShippingAddress
from lib.domain.errors import DomainError, InvalidInput
from lib.domain.limits import check_count
from lib.domain.money import Money
from lib.domain.text import multi_line, one_line

DEFAULT_AUTO_CONFIRM_DAYS = 14
DEFAULT_REORDER_DAYS = 30
REFERRAL_WINDOW = timedelta(days=30)
MAX_BUY_QUANTITY = 20
MAX_REVIEW = 2000
_CARRIER = re.compile(r"[\w .&'()-]{2,40}")
_TRACKING = re.compile(r"[A-Za-z0-9-]{4,40}")


class OrderSource(StrEnum):
    CAMPAIGN = "campaign"  # a pre-order that was charged when its campaign was funded
    SHOP = "shop"  # bought now from a listing


class OrderStatus(StrEnum):
    PENDING = "pending"  # shop: stock reserved while the card is charged
    PAID = "paid"
    IN_PRODUCTION = "in_production"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"  # never paid (the charge failed or the reservation lapsed)
    REFUNDED = "refunded"  # paid, then refunded in full


# What a maker may move an order to, from each status (delivery is the buyer's or the job's).
MAKER_MOVES: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.PAID: frozenset({OrderStatus.IN_PRODUCTION, OrderStatus.SHIPPED}),
    OrderStatus.IN_PRODUCTION: frozenset({OrderStatus.SHIPPED}),
}
# Orders that can still be refunded (in part or in full).
REFUNDABLE = frozenset({OrderStatus.PAID, OrderStatus.IN_PRODUCTION, OrderStatus.SHIPPED, OrderStatus.DELIVERED})
# Orders that count as a sale (for conversions, purchase intervals and stock).
SOLD = frozenset({OrderStatus.PAID, OrderStatus.IN_PRODUCTION, OrderStatus.SHIPPED, OrderStatus.DELIVERED})
# Orders anybody sees (buyers, makers, their lists and counts): paid at some point. A purchase being
# charged, or one whose payment never happened (cancelled), is kept only for the money and stock logic.
SHOWN = SOLD | {OrderStatus.REFUNDED}


class ListingStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"


class OrderNotMovable(DomainError):
    key = "error.order_not_movable"


class RefundTooLarge(DomainError):
    key = "error.refund_too_large"


class OutOfStock(DomainError):
    key = "error.out_of_stock"


class PurchaseLimitReached(DomainError):
    key = "error.purchase_limit"


class DropNotStarted(DomainError):
    key = "error.drop_not_started"


class ListingUnavailable(DomainError):
    key = "error.listing_unavailable"


class NotDelivered(DomainError):
    key = "error.review_needs_delivery"


class AlreadyReviewed(DomainError):
    key = "error.already_reviewed"


class InsufficientBalance(DomainError):
    key = "error.payout_above_balance"


def can_maker_move(current: OrderStatus, target: OrderStatus) -> bool:
    return target in MAKER_MOVES.get(current, frozenset())


def clean_tracking(carrier: str, number: str) -> tuple[str, str]:
    """A carrier name and a tracking number: plain words and digits, never markup."""
    carrier = one_line(carrier, 40, too_long="error.carrier_invalid")
    number = "".join(one_line(number, 80, too_long="error.tracking_invalid").split())
    if not _CARRIER.fullmatch(carrier):
        raise InvalidInput("error.carrier_invalid")
    if not _TRACKING.fullmatch(number):
        raise InvalidInput("error.tracking_invalid")
    return carrier, number


def check_rating(rating: int, body: str) -> tuple[int, str]:
    rating = check_count(rating, 1, 5, "error.rating_range")
    return rating, multi_line(body, MAX_REVIEW, too_long="error.review_too_long")


def check_buy_quantity(quantity: int) -> int:
    return check_count(quantity, 1, MAX_BUY_QUANTITY, "error.quantity_range", max=MAX_BUY_QUANTITY)


@dataclass(frozen=True)
class Order:
    id: int
    source: OrderSource
    buyer_id: int
    maker_id: int
    idea_id: int
    campaign_id: int | None
    listing_id: int | None
    preorder_id: int | None
    title: str
    quantity: int
    unit_price: Money
    amount: Money
    refunded: Money
    status: OrderStatus
    referrer_id: int | None
    payment_ref: str | None
    card_brand: str | None
    card_last4: str | None
    carrier: str | None
    tracking_number: str | None
    address: ShippingAddress
    created_at: datetime
    paid_at: datetime | None
    shipped_at: datetime | None
    delivered_at: datetime | None

    @property
    def refundable(self) -> Money:
        return self.amount - self.refunded if self.status in REFUNDABLE else Money(0, self.amount.currency)


@dataclass(frozen=True)
class NewOrder:
    """An order to store: a paid pre-order, a shop purchase being charged, or a demo's finished one."""

    source: OrderSource
    buyer_id: int
    maker_id: int
    idea_id: int
    title: str
    quantity: int
    unit_price: Money
    amount: Money
    status: OrderStatus
    gateway: str
    address: ShippingAddress
    created_at: datetime
    campaign_id: int | None = None
    listing_id: int | None = None
    preorder_id: int | None = None
    referrer_id: int | None = None
    customer_ref: str | None = None
    method_ref: str | None = None
    card_brand: str | None = None
    card_last4: str | None = None
    payment_ref: str | None = None
    paid_at: datetime | None = None
    carrier: str | None = None
    tracking_number: str | None = None
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.unit_price.currency != self.amount.currency:
            raise InvalidInput("error.currency_mismatch")  # an order has one currency


@dataclass(frozen=True)
class ListingTerms:
    """What a maker sets when listing a product (stored and read alike)."""

    idea_id: int
    maker_id: int
    campaign_id: int | None
    title: str
    description_md: str
    price: Money
    stock: int  # the total ever offered (a drop's cap); units left = stock - sold
    status: ListingStatus
    starts_at: datetime | None  # a limited drop opens then
    per_account_limit: int | None
    consumable: bool
    reorder_days: int  # the "running low?" interval before a buyer has their own


@dataclass(frozen=True)
class Listing(ListingTerms):
    id: int
    sold: int
    cover_image: str | None
    created_at: datetime
    hidden: bool = False  # its idea was hidden by a moderator: staff and its maker only

    @property
    def units_left(self) -> int:
        return max(0, self.stock - self.sold)

    @property
    def is_drop(self) -> bool:
        return self.starts_at is not None or self.per_account_limit is not None

    def started(self, now: datetime) -> bool:
        return self.starts_at is None or now >= self.starts_at


@dataclass(frozen=True)
class NewListing(ListingTerms):
    """A listing to store; nothing of it is sold yet."""

    created_at: datetime
    updated_at: datetime | None


@dataclass(frozen=True)
class Review:
    id: int
    order_id: int
    listing_id: int
    user_id: int
    author_name: str
    rating: int
    body: str
    maker_reply: str | None
    created_at: datetime
    replied_at: datetime | None


@dataclass(frozen=True)
class NewReview:
    order_id: int
    listing_id: int
    user_id: int
    rating: int
    body: str
    created_at: datetime
