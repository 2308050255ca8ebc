"""The shop: a fulfilled campaign becomes a listing that people browse and buy from.

Buying (charged at once) lives in checkout.py, reviews and "running low?" reminders in reviews.py."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from lib.domain.accounts import User
from lib.domain.errors import InvalidInput, NotFound, found
from lib.domain.ideas import IdeaStatus
from lib.domain.limits import parse_enum
from lib.domain.money import Money
from lib.domain.orders import (
    DEFAULT_REORDER_DAYS,
    SOLD,
    Listing,
    ListingStatus,
    ListingUnavailable,
    NewListing,
    OrderStatus,
)
from lib.domain.permissions import can_list_campaign, can_manage_listing, can_view_content, can_write, require
from lib.domain.shop import (
    MAX_STOCK,
    IdeaNotFulfilled,
    ListingExists,
    ListingView,
    PurchaseState,
    ShopCard,
    check_description,
    check_limit,
    check_price,
    check_reorder_days,
    check_starts_at,
    check_stock,
)
from lib.domain.text import search_query
from lib.services.campaigns.makers import verified_maker
from lib.services.commerce.ports import StockNow
from lib.services.context import AppContext
from lib.services.ideas.lifecycle import move_idea
from lib.services.messaging.notifications import notify
from lib.services.payments.cards import payment_customer, payment_gateway
from lib.services.payments.keys import KeyFor, payment_key
from lib.services.payments.ports import CardSetup
from lib.services.routes import listing_link

MAX_PAGE = 100
MAX_QUERY = 200


class _Keep:
    """Leave this field as it is (None means "clear it" for the optional ones)."""


KEEP: Any = _Keep()


def create_listing(ctx: AppContext, actor: User | None, campaign_id: int, *, price: Money, stock: int,
                   description_md: str = "", consumable: bool = False, reorder_days: int = DEFAULT_REORDER_DAYS,
                   starts_at: datetime | None = None, per_account_limit: int | None = None) -> int:
    """The campaign's maker lists its fulfilled product (once); the idea becomes LISTED."""
    check_price(price, ctx.currency)
    check_stock(stock)
    check_limit(per_account_limit)
    check_reorder_days(reorder_days)
    check_starts_at(starts_at)
    description = check_description(description_md)
    now = ctx.now()
    with ctx.uow() as uow:
        user = verified_maker(uow, actor)
        campaign = found(uow.campaigns.campaign(campaign_id))
        require(can_list_campaign, user, campaign)
        if uow.shop.listing_for_campaign(campaign_id) is not None:
            raise ListingExists()
        idea = uow.idea_repo.get(campaign.idea_id)
        if idea is None or idea.status is not IdeaStatus.FULFILLED:
            raise IdeaNotFulfilled()
        listing_id = uow.shop.add_listing(NewListing(
            idea_id=idea.id, maker_id=user.id, campaign_id=campaign_id, title=idea.title,
            description_md=description or idea.description_md, price=price, stock=stock,
            status=ListingStatus.ACTIVE, starts_at=starts_at, per_account_limit=per_account_limit,
            consumable=bool(consumable), reorder_days=reorder_days, created_at=now, updated_at=now))
        if listing_id is None:
            raise ListingExists()
        if not move_idea(uow, idea.id, IdeaStatus.LISTED, now):
            raise IdeaNotFulfilled()
        for follower in uow.idea_repo.followers(idea.id):
            notify(ctx, uow, follower, "listing_opened", link=listing_link(listing_id), title=idea.title)
        uow.commit()
    return listing_id


def update_listing(ctx: AppContext, actor: User | None, listing_id: int, *, price: Money | None = None,
                   add_stock: int = 0, status: ListingStatus | None = None, starts_at: Any = KEEP,
                   per_account_limit: Any = KEEP, description_md: str | None = None,
                   consumable: bool | None = None, reorder_days: int | None = None) -> None:
    """The listing's maker changes its price, stock, status (active/paused), drop start or limit."""
    values: dict[str, Any] = {}
    if price is not None:
        values["price"] = check_price(price, ctx.currency).amount
    if status is not None:
        values["status"] = parse_enum(ListingStatus, status, "error.listing_status_unknown").value
    if starts_at is not KEEP:
        values["starts_at"] = check_starts_at(starts_at)
    if per_account_limit is not KEEP:
        values["per_account_limit"] = check_limit(per_account_limit)
    if description_md is not None and (description := check_description(description_md)):
        values["description_md"] = description
    if consumable is not None:
        values["consumable"] = bool(consumable)
    if reorder_days is not None:
        values["reorder_days"] = check_reorder_days(reorder_days)
    if not isinstance(add_stock, int) or isinstance(add_stock, bool) or abs(add_stock) > MAX_STOCK:
        raise InvalidInput("error.stock_range", max=MAX_STOCK)
    now = ctx.now()
    with ctx.uow() as uow:
        user = require(can_write, actor)
        listing = found(uow.shop.listing(listing_id))
        require(can_manage_listing, user, listing)
        if listing.stock + add_stock > MAX_STOCK:
            raise InvalidInput("error.stock_range", max=MAX_STOCK)
        if add_stock and not uow.shop.add_stock(listing_id, add_stock, now):
            raise InvalidInput("error.stock_below_sold", sold=listing.sold)
        uow.shop.update_listing(listing_id, now, **values)
        uow.commit()


def get_listing(ctx: AppContext, listing_id: int, actor: User | None = None) -> ListingView:
    """A listing with its idea's story and images, its maker, rating and reviews (newest first).
    One whose idea a moderator hid is found only by staff and its maker (its story is the idea's)."""
    with ctx.uow(write=False) as uow:
        listing = uow.shop.listing(listing_id)
        if listing is None or not can_view_content(actor, listing):
            raise NotFound()
        story = uow.shop.story(listing.idea_id)
        if story is None:
            raise NotFound()
        rating_avg, rating_count = uow.shop.rating(listing_id)
        images = [k for k in [story.cover_image, *story.images] if k]
        return ListingView(listing=listing, images=list(dict.fromkeys(images)), idea_title=story.title,
                           idea_pitch=story.pitch, story_md=story.description_md,
                           co_creators=list(story.co_creators), maker_name=uow.shop.maker_name(listing.maker_id),
                           rating_avg=rating_avg, rating_count=rating_count, reviews=uow.shop.reviews(listing_id))


def browse(ctx: AppContext, query: str = "", category: str | None = None, limit: int = 24,
           offset: int = 0) -> list[ShopCard]:
    """The shop page: active listings (upcoming drops too, with their start), searched and filtered."""
    limit, offset = max(1, min(int(limit), MAX_PAGE)), max(0, int(offset))
    with ctx.uow(write=False) as uow:
        return uow.shop.browse(search_query(query, MAX_QUERY), search_query(category, MAX_QUERY) or None,
                               limit, offset)


def my_listings(ctx: AppContext, actor: User | None) -> list[Listing]:
    if actor is None:
        return []
    with ctx.uow(write=False) as uow:
        return uow.shop.listings_by_maker(actor.id)


def listing_for_campaign(ctx: AppContext, campaign_id: int) -> Listing | None:
    with ctx.uow(write=False) as uow:
        return uow.shop.listing_for_campaign(campaign_id)


def my_purchase_state(ctx: AppContext, actor: User | None, listing_id: int) -> PurchaseState:
    """Bought before ("Buy again")? Units bought against a drop's limit; delivered, unreviewed orders."""
    with ctx.uow(write=False) as uow:
        listing = found(uow.shop.listing(listing_id))
        if actor is None:
            return PurchaseState(False, 0, listing.per_account_limit, [])
        orders = uow.shop.buyer_orders(listing, actor.id)
        reviewable = [o.id for o in orders if o.status is OrderStatus.DELIVERED
                      and uow.shop.review_for_order(o.id) is None]
        return PurchaseState(bought_before=any(o.status in SOLD or o.status is OrderStatus.REFUNDED for o in orders),
                             units_bought=uow.shop.buyer_units(listing_id, actor.id),
                             limit=listing.per_account_limit, reviewable_order_ids=reviewable)


def begin_card_setup(ctx: AppContext, actor: User | None, listing_id: int) -> CardSetup:
    """Start saving a card in the browser (Stripe.js) before buying; buy_now then takes its setup_ref."""
    user = require(can_write, actor)
    with ctx.uow(write=False) as uow:
        listing = uow.shop.listing(listing_id)
    if listing is None:
        raise NotFound()
    if listing.status is not ListingStatus.ACTIVE or listing.units_left == 0 or listing.hidden:
        raise ListingUnavailable()
    key = payment_key(ctx, KeyFor.SHOP_SETUP, user.id, listing_id, ctx.now().timestamp())
    return payment_gateway(ctx).start_card_setup(payment_customer(ctx, user), key)


STOCK_SECONDS = 1.0  # how stale a polled stock figure may be: one read a second, however many viewers


def stock_now(ctx: AppContext, listing_id: int) -> StockNow | None:
    """Units left of a public listing, read at most once a second for all its viewers together."""

    def load() -> StockNow | None:
        with ctx.uow(write=False) as uow:
            listing = uow.shop.listing(listing_id)
        if listing is None or listing.hidden:
            return None
        on_sale = listing.status is ListingStatus.ACTIVE and listing.units_left > 0 and listing.started(ctx.now())
        return StockNow(listing.units_left, on_sale)

    return ctx.reads.get(("listing", listing_id), load, key="stock", ttl=STOCK_SECONDS)


def listing_now(ctx: AppContext, listing_id: int) -> Listing | None:
    """Just the listing row (stock, status, start): what a drop page polls every few seconds."""
    with ctx.uow(write=False) as uow:
        return uow.shop.listing(listing_id)
