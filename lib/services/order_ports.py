"""Ports for the back half of the journey: orders, the shop, referrals and the ledger.

Each Protocol is implemented by one module in lib/adapters/db/ (orders_repo, shop_repo,
referrals_repo, ledger_repo) and reached through the unit of work (uow.orders, uow.shop,
uow.referrals, uow.ledger)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from lib.domain.fulfilment import OrderUpdate, Refund, RefundStatus
from lib.domain.ledger import Account, Payable, Payout, PayoutStatus, Posting
from lib.domain.money import Money
from lib.domain.orders import Listing, Order, OrderStatus, Review
from lib.domain.referrals import Conversion
from lib.domain.shop import ShopCard


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

    def for_maker_filtered(self, maker_id: int, statuses: Sequence[OrderStatus], campaign_id: int | None = None,
                           listing_id: int | None = None, limit: int = 1000) -> list[Order]: ...

    def status_counts(self, maker_id: int | None = None, campaign_id: int | None = None,
                      listing_id: int | None = None) -> dict[OrderStatus, int]: ...

    def maker_sources(self, maker_id: int) -> list[tuple[str, int, str]]:
        """The campaigns and listings the maker's orders come from: (kind, id, title)."""
        ...

    def listing_owner(self, listing_id: int) -> tuple[int, str] | None: ...

    def listings_for_campaigns(self, campaign_ids: Sequence[int]) -> dict[int, int]: ...

    def buyers(self, campaign_id: int | None, listing_id: int | None,
               statuses: Sequence[OrderStatus]) -> list[int]: ...

    def shipped_before(self, cutoff: datetime, limit: int) -> list[Order]: ...

    def preorder_extras(self, preorder_id: int) -> dict[str, Any] | None:
        """referrer_id, unit_price and updated_at of a pre-order (what the Preorder entity leaves out)."""
        ...

    def paid_preorders_without_order(self, limit: int) -> list[int]: ...

    def claim_refund(self, order_id: int, amount: int, refundable: Sequence[OrderStatus], now: datetime) -> bool:
        """Conditionally add to orders.refunded (refunded + amount <= amount paid)."""
        ...

    def unclaim_refund(self, order_id: int, amount: int, now: datetime) -> None: ...

    def refund_count(self, order_id: int) -> int: ...

    def add_refund(self, values: dict[str, Any]) -> int: ...

    def finish_refund(self, refund_id: int, status: RefundStatus, refund_ref: str | None, now: datetime) -> bool:
        """Move a pending refund to its outcome (once)."""
        ...

    def refunded_total(self, order_id: int) -> int: ...

    def refunds_for(self, order_ids: Sequence[int]) -> dict[int, list[Refund]]: ...

    def add_update(self, maker_id: int, campaign_id: int | None, listing_id: int | None, body_md: str,
                   now: datetime) -> int: ...

    def updates(self, campaign_id: int | None, listing_id: int | None, limit: int = 50) -> list[OrderUpdate]: ...


class ShopRepository(Protocol):
    """Listings, stock, per-account limits, reviews and reminders (lib/adapters/db/shop_repo.py)."""

    def add_listing(self, values: dict[str, Any]) -> int | None:
        """Insert a listing (columns of the listings table); None when its campaign already has one."""
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

    def story(self, idea_id: int) -> dict[str, Any] | None:
        """title, pitch, description_md, cover_image, images and co_creators (names) of the idea."""
        ...

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

    def add_review(self, values: dict[str, Any]) -> int | None:
        """None when the order already has a review."""
        ...

    def review(self, review_id: int) -> Review | None: ...

    def review_for_order(self, order_id: int) -> Review | None: ...

    def reviews(self, listing_id: int, limit: int = 200) -> list[Review]: ...

    def rating(self, listing_id: int) -> tuple[float | None, int]: ...

    def reply_to_review(self, review_id: int, body: str, now: datetime) -> bool: ...

    def consumable_purchases(self) -> list[dict[str, Any]]:
        """listing_id, title, reorder_days, buyer_id, order_id, paid_at of paid purchases from active
        consumable listings, ordered by listing, buyer and paid_at."""
        ...

    def add_reminder(self, user_id: int, listing_id: int, after_order_id: int, now: datetime) -> bool:
        """True only when this reminder was not recorded before."""
        ...


class ReferralRepository(Protocol):
    """Referral clicks and attribution (lib/adapters/db/referrals_repo.py)."""

    def active_referrer(self, code: str) -> int | None:
        """The active account whose code this is (its row locked until commit), else None."""
        ...

    def recent_click(self, referrer_id: int, target: str, visitor_key: str, user_id: int | None,
                     since: datetime) -> bool:
        """A click by this visitor (or this account) on this referrer's link to this target since then."""
        ...

    def add_click(self, referrer_id: int, visitor_key: str, user_id: int | None, target: str,
                  now: datetime) -> int: ...

    def claim(self, visitor_key: str, user_id: int) -> int:
        """Bind the visitor's anonymous clicks (not on the user's own code) to the user."""
        ...

    def latest_referrer(self, buyer_id: int, since: datetime, until: datetime) -> int | None:
        """The referrer of the buyer's latest bound click in [since, until], active and not the buyer."""
        ...

    def click_counts(self, referrer_id: int, since: datetime) -> tuple[int, int, int]:
        """(all clicks, clicks since then, distinct visitors) on this referrer's links."""
        ...

    def conversion_count(self, referrer_id: int, statuses: Sequence[OrderStatus]) -> int: ...

    def conversions(self, referrer_id: int, statuses: Sequence[OrderStatus], limit: int) -> list[Conversion]:
        """The latest orders this referrer brought, newest first, with the commission on each."""
        ...

    def earnings(self, referrer_id: int) -> list[Money]:
        """Referral commission credited to this account, net of refunds, one Money per currency."""
        ...


class LedgerRepository(Protocol):
    """Double-entry transactions, balances and payouts (lib/adapters/db/ledger_repo.py)."""

    def add_transaction(self, kind: str, dedupe_key: str, order_id: int | None, currency: str, memo: str,
                        now: datetime, postings: Sequence[Posting]) -> int | None:
        """Post a transaction once per dedupe key; None when that key was already posted."""
        ...

    def posted(self, dedupe_key: str) -> bool: ...

    def order_holdings(self, order_id: int) -> dict[Account, int]:
        """What each credited account still holds of the order's sale after its refunds."""
        ...

    def sale_parties(self, idea_id: int) -> tuple[int, list[int]]:
        """(the idea's author, its co-creators earliest first)."""
        ...

    def lock_payee(self, user_id: int) -> None:
        """Serialise balance decisions about one payee until the transaction ends."""
        ...

    def lock_order(self, order_id: int) -> None:
        """Serialise refunds of one order until the transaction ends."""
        ...

    def balances(self, user_id: int, currency: str) -> dict[str, int]: ...

    def owed_by_kind(self, user_id: int, currency: str) -> dict[tuple[str, str], int]:
        """What each of the user's accounts is owed, per transaction kind (one query for the earnings page)."""
        ...

    def pending_payouts(self, user_id: int, currency: str) -> int: ...

    def statement(self, user_id: int) -> list[dict[str, Any]]: ...

    def payables(self, currency: str) -> list[Payable]: ...

    def add_payout(self, user_id: int, amount: Money, now: datetime) -> int: ...

    def payout(self, payout_id: int) -> Payout | None: ...

    def payouts_for(self, user_id: int) -> list[Payout]: ...

    def requested_payouts(self) -> list[Payout]: ...

    def decide_payout(self, payout_id: int, to: PayoutStatus, by: int, now: datetime, *, note: str = "",
                      transfer_ref: str | None = None) -> bool: ...
