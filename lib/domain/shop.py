"""The shop: listing terms, what the shop page shows, and when a consumable runs low."""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from lib.domain.errors import DomainError, InvalidInput
from lib.domain.limits import MAX_UNITS, check_amount
from lib.domain.money import Money
from lib.domain.orders import Listing, Review
from lib.domain.text import multi_line

MAX_STOCK = MAX_UNITS
MAX_REORDER_DAYS = 365
MAX_DESCRIPTION = 10_000
MAX_REPLY = 2000


class ChargeDeclined(DomainError):
    """The card was saved but the charge itself was declined: nothing was charged."""

    key = "error.card_declined"


class PaymentInDoubt(DomainError):
    """The provider did not answer: the order waits and is confirmed or cancelled shortly."""

    key = "error.payment_in_doubt"


class ListingExists(DomainError):
    key = "error.listing_exists"


class IdeaNotFulfilled(DomainError):
    key = "error.idea_not_fulfilled"


def check_price(price: Money, currency: str) -> Money:
    if price.currency != currency:
        raise InvalidInput("error.currency_mismatch")
    check_amount(price.amount, "error.price_not_positive")
    return price


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_stock(stock: int) -> int:
    if not _whole(stock) or not 1 <= stock <= MAX_STOCK:
        raise InvalidInput("error.stock_range", max=MAX_STOCK)
    return stock


def check_limit(limit: int | None) -> int | None:
    if limit is not None and (not _whole(limit) or not 1 <= limit <= MAX_STOCK):
        raise InvalidInput("error.purchase_limit_range")
    return limit


def check_reorder_days(days: int) -> int:
    if not _whole(days) or not 1 <= days <= MAX_REORDER_DAYS:
        raise InvalidInput("error.reorder_days_range", max=MAX_REORDER_DAYS)
    return days


def check_starts_at(value: datetime | None) -> datetime | None:
    if value is not None and (not isinstance(value, datetime) or value.tzinfo is None):
        raise InvalidInput("error.drop_start_invalid")
    return value


def check_description(text: str) -> str:
    return multi_line(text, MAX_DESCRIPTION, too_long="error.description_too_long")


def check_reply(text: str) -> str:
    return multi_line(text, MAX_REPLY, required="error.reply_required", too_long="error.review_too_long")


def reorder_due(purchases: Sequence[datetime], default_days: int) -> datetime:
    """When a buyer is likely to run low: their last purchase plus the median of their own
    intervals between purchases; with a single purchase, the listing's default interval."""
    times = sorted(purchases)
    if not times:
        raise ValueError("no purchases")
    gaps = [(later - earlier).total_seconds() for earlier, later in itertools.pairwise(times)]
    interval = timedelta(seconds=statistics.median(gaps)) if gaps else timedelta(days=default_days)
    return times[-1] + interval


@dataclass(frozen=True)
class ShopCard:
    """What the shop page shows of a listing (a read model)."""

    id: int
    idea_id: int
    title: str
    price: Money
    stock: int
    sold: int
    starts_at: datetime | None
    per_account_limit: int | None
    cover_image: str | None
    category_slug: str | None
    rating_avg: float | None
    rating_count: int

    @property
    def units_left(self) -> int:
        return max(0, self.stock - self.sold)

    def started(self, now: datetime) -> bool:
        return self.starts_at is None or now >= self.starts_at


@dataclass(frozen=True)
class ListingView:
    """A listing with the story of its idea, its maker and its reviews (newest first)."""

    listing: Listing
    images: list[str]
    idea_title: str
    idea_pitch: str
    story_md: str
    co_creators: list[str]
    maker_name: str
    rating_avg: float | None
    rating_count: int
    reviews: list[Review] = field(default_factory=list)


@dataclass(frozen=True)
class PurchaseState:
    """What one account has done with one listing: for "Buy again", the limit and the review form."""

    bought_before: bool
    units_bought: int
    limit: int | None
    reviewable_order_ids: list[int]

    @property
    def units_allowed(self) -> int | None:
        return None if self.limit is None else max(0, self.limit - self.units_bought)
