"""What commerce needs from storage: orders with their refunds and updates, listings, stock and
reviews."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from lib.domain.campaigns import ShippingAddress
from lib.domain.fulfilment import NewRefund, OrderUpdate, Refund, RefundStatus
from lib.domain.orders import Listing, NewListing, NewOrder, NewReview, Order, OrderStatus, Review
from lib.domain.shop import ShopCard


@dataclass(frozen=True)
class IdeaStory:
    """The idea behind a listing, as its page tells it."""

    title: str
    pitch: str
    description_md: str
    cover_image: str | None
    images: tuple[str, ...]  # in their order on the idea
    co_creators: tuple[str, ...]  # display names, earliest first


@dataclass(frozen=True)
class StockNow:
    """What every viewer of a listing polls: units left, and whether it can be bought at this moment."""

    units_left: int
    on_sale: bool  # active, started and not sold out


@dataclass(frozen=True)
class ConsumablePurchase:
    """A paid purchase from an active consumable listing, and whether the reminder timed from it
    has gone out."""

    listing_id: int
    title: str
    reorder_days: int
    buyer_id: int
    order_id: int
    paid_at: datetime
    reminded: bool


class OrderRepository(Protocol):
    def add(self, order: NewOrder) -> int:
        """Store one order; returns its id."""
        ...

    def get(self, order_id: int) -> Order | None: ...

    def by_preorder(self, preorder_id: int) -> Order | None: ...

    def move(self, order_id: int, from_statuses: Sequence[OrderStatus], to: OrderStatus, now: datetime,
             **values: Any) -> bool:
        """A conditional status change: the row moves only from one of the expected statuses."""
        ...

    def for_buyer(self, buyer_id: int) -> list[Order]: ...

    def for_maker(self, maker_id: int, statuses: Sequence[OrderStatus] | None = None) -> list[Order]: ...

    def for_maker_filtered(self, maker_id: int, statuses: Sequence[OrderStatus], campaign_id: int | None = None,
                           listing_id: int | None = None, limit: int = 1000) -> list[Order]: ...

    def status_counts(self, maker_id: int | None = None, campaign_id: int | None = None,
                      listing_id: int | None = None) -> dict[OrderStatus, int]: ...

    def maker_sources(self, maker_id: int, statuses: Sequence[OrderStatus]) -> list[tuple[str, int, str]]:
        """The campaigns and listings the maker's orders of these statuses come from: (kind, id, title)."""
        ...


    def listings_for_campaigns(self, campaign_ids: Sequence[int]) -> dict[int, int]: ...

    def buyers(self, campaign_id: int | None, listing_id: int | None,
               statuses: Sequence[OrderStatus]) -> list[int]: ...

    def shipped_before(self, cutoff: datetime, limit: int) -> list[Order]: ...

    def paid_preorders_without_order(self, limit: int) -> list[int]: ...

    def claim_refund(self, order_id: int, amount: int, refundable: Sequence[OrderStatus], now: datetime) -> bool:
        """Conditionally add to orders.refunded (refunded + amount <= amount paid)."""
        ...

    def unclaim_refund(self, order_id: int, amount: int, now: datetime) -> None: ...

    def refund_count(self, order_id: int) -> int: ...

    def add_refund(self, refund: NewRefund) -> int: ...

    def finish_refund(self, refund_id: int, status: RefundStatus, refund_ref: str | None, now: datetime) -> bool:
        """Move a pending refund to its outcome (once)."""
        ...

    def refunded_total(self, order_id: int) -> int: ...

    def refunds_for(self, order_ids: Sequence[int]) -> dict[int, list[Refund]]: ...

    def add_update(self, maker_id: int, campaign_id: int | None, listing_id: int | None, body_md: str,
                   now: datetime) -> int: ...

    def updates(self, campaign_id: int | None, listing_id: int | None, limit: int = 50) -> list[OrderUpdate]: ...

    def recent_addresses(self, user_id: int, limit: int) -> list[tuple[datetime, ShippingAddress]]:
        """Where the account's orders and pre-orders shipped (each once per table), with when last used."""
        ...


class ShopRepository(Protocol):
    """Listings, stock, per-account limits, reviews and reminders."""

    def add_listing(self, listing: NewListing) -> int | None:
        """Store a listing; None when its campaign already has one."""
        ...

    def listing(self, listing_id: int) -> Listing | None: ...

    def listing_for_campaign(self, campaign_id: int) -> Listing | None: ...

    def listings_by_maker(self, maker_id: int) -> list[Listing]: ...

    def update_listing(self, listing_id: int, now: datetime, **values: Any) -> bool: ...

    def add_stock(self, listing_id: int, units: int, now: datetime) -> bool:
        """Change the stock by `units`; false when that would leave less than was sold (or none)."""
        ...

    def browse(self, query: str, category: str | None, limit: int, offset: int) -> list[ShopCard]:
        """Active listings (drops not yet started included), newest first, with their ratings."""
        ...

    def story(self, idea_id: int) -> IdeaStory | None: ...

    def maker_name(self, maker_id: int) -> str: ...

    def reserve_stock(self, listing_id: int, quantity: int, now: datetime) -> bool:
        """sold += quantity only if the listing is active, started and has the units left."""
        ...

    def release_stock(self, listing_id: int, quantity: int) -> None: ...

    def reserve_buyer_units(self, listing_id: int, user_id: int, quantity: int, limit: int | None) -> bool:
        """Count an account's units; with a limit, only while they stay within it."""
        ...

    def release_buyer_units(self, listing_id: int, user_id: int, quantity: int) -> None: ...

    def buyer_units(self, listing_id: int, user_id: int) -> int: ...

    def buyer_orders(self, listing: Listing, buyer_id: int) -> list[Order]:
        """The buyer's orders of this product (from the listing or its campaign), newest first."""
        ...

    def stale_pending(self, before: datetime) -> list[Order]: ...

    def add_review(self, review: NewReview) -> int | None:
        """None when the order already has a review."""
        ...

    def review(self, review_id: int) -> Review | None: ...

    def review_for_order(self, order_id: int) -> Review | None: ...

    def reviews(self, listing_id: int, limit: int = 200) -> list[Review]: ...

    def rating(self, listing_id: int) -> tuple[float | None, int]: ...

    def reply_to_review(self, review_id: int, body: str, now: datetime) -> bool: ...

    def consumable_purchases(self) -> list[ConsumablePurchase]:
        """Paid purchases from active consumable listings, ordered by listing, buyer and paid_at."""
        ...

    def add_reminder(self, user_id: int, listing_id: int, after_order_id: int, now: datetime) -> bool:
        """True only when this reminder was not recorded before."""
        ...
