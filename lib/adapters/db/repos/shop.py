"""Shop repository: listings, stock, per-account limits,
reviews and "running low?" reminders.

Stock and per-account limits are conditional updates (`... WHERE sold + q <= stock`), so no
number of concurrent buyers can oversell or pass a limit on either database."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.engine import Connection, RowMapping

from lib.adapters.db.repos.orders import order_from_row
from lib.adapters.db.schema import campaigns as campaign_tables
from lib.adapters.db.schema import commerce as t
from lib.adapters.db.schema import core
from lib.adapters.db.sql import dialect_insert, insert_ignore, like_escape
from lib.domain.money import Money
from lib.domain.orders import (
    SOLD,
    Listing,
    ListingStatus,
    NewListing,
    NewReview,
    Order,
    OrderSource,
    OrderStatus,
    Review,
)
from lib.domain.shop import ShopCard
from lib.services.commerce.ports import ConsumablePurchase, IdeaStory

L, I, R, O, B = t.listings.c, core.ideas.c, t.reviews.c, t.orders.c, t.listing_buyers.c  # noqa: E741
_SOLD = [s.value for s in SOLD]


def _listing(r: RowMapping) -> Listing:
    return Listing(id=r["id"], idea_id=r["idea_id"], maker_id=r["maker_id"], campaign_id=r["campaign_id"],
                   title=r["title"], description_md=r["description_md"], price=Money(r["price"], r["currency"]),
                   stock=r["stock"], sold=r["sold"], status=ListingStatus(r["status"]),
                   starts_at=r["starts_at"], per_account_limit=r["per_account_limit"],
                   consumable=bool(r["consumable"]), reorder_days=r["reorder_days"],
                   cover_image=r["cover_image"], created_at=r["created_at"], hidden=bool(r["hidden"]))


def _review(r: RowMapping) -> Review:
    return Review(id=r["id"], order_id=r["order_id"], listing_id=r["listing_id"], user_id=r["user_id"],
                  author_name=r["author_name"], rating=r["rating"], body=r["body"], maker_reply=r["maker_reply"],
                  created_at=r["created_at"], replied_at=r["replied_at"])


def _ratings() -> Any:
    return (select(R.listing_id, func.avg(R.rating).label("rating_avg"), func.count().label("rating_count"))
            .group_by(R.listing_id).subquery())


def _of_product(listing: Listing) -> Any:
    """Orders of this product: bought from the listing, or pre-ordered in its campaign."""
    if listing.campaign_id is None:
        return O.listing_id == listing.id
    return or_(O.listing_id == listing.id, O.campaign_id == listing.campaign_id)


class SqlShopRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # ---- listings ------------------------------------------------------------------------------

    def add_listing(self, listing: NewListing) -> int | None:
        """Insert a listing; None when its campaign already has one (the unique key decides)."""
        stmt = dialect_insert(self.conn, t.listings).values(
            idea_id=listing.idea_id, maker_id=listing.maker_id, campaign_id=listing.campaign_id, title=listing.title,
            description_md=listing.description_md, price=listing.price.amount, currency=listing.price.currency,
            stock=listing.stock, sold=0, status=listing.status.value, starts_at=listing.starts_at,
            per_account_limit=listing.per_account_limit, consumable=listing.consumable,
            reorder_days=listing.reorder_days, created_at=listing.created_at, updated_at=listing.updated_at,
        ).on_conflict_do_nothing().returning(L.id)
        found = self.conn.execute(stmt).scalar()
        return None if found is None else int(found)

    def _select(self) -> Any:
        return select(t.listings, I.cover_image, I.hidden).select_from(t.listings.join(core.ideas, I.id == L.idea_id))

    def listing(self, listing_id: int) -> Listing | None:
        r = self.conn.execute(self._select().where(L.id == listing_id)).mappings().first()
        return _listing(r) if r else None

    def listing_for_campaign(self, campaign_id: int) -> Listing | None:
        r = self.conn.execute(self._select().where(L.campaign_id == campaign_id)).mappings().first()
        return _listing(r) if r else None

    def listings_by_maker(self, maker_id: int) -> list[Listing]:
        rows = self.conn.execute(self._select().where(L.maker_id == maker_id).order_by(L.id.desc())).mappings()
        return [_listing(r) for r in rows]

    def update_listing(self, listing_id: int, now: datetime, **values: Any) -> bool:
        return self.conn.execute(update(t.listings).where(L.id == listing_id)
                                 .values(updated_at=now, **values)).rowcount == 1

    def add_stock(self, listing_id: int, units: int, now: datetime) -> bool:
        """Change the stock by `units` (may be negative), never below what was sold or below one."""
        return self.conn.execute(update(t.listings).where(
            L.id == listing_id, L.stock + units >= L.sold, L.stock + units >= 1,
        ).values(stock=L.stock + units, updated_at=now)).rowcount == 1

    def browse(self, query: str, category: str | None, limit: int, offset: int) -> list[ShopCard]:
        rating = _ratings()
        stmt = (select(L.id, L.idea_id, L.title, L.price, L.currency, L.stock, L.sold, L.starts_at,
                       L.per_account_limit, I.cover_image, core.categories.c.slug.label("category_slug"),
                       rating.c.rating_avg, rating.c.rating_count)
                .select_from(t.listings.join(core.ideas, I.id == L.idea_id)
                             .outerjoin(core.categories, core.categories.c.id == I.category_id)
                             .outerjoin(rating, rating.c.listing_id == L.id))
                .where(L.status == ListingStatus.ACTIVE.value, I.hidden.is_(False)))  # hidden ideas: not on show
        if query:
            like = f"%{like_escape(query.lower())}%"
            stmt = stmt.where(or_(func.lower(L.title).like(like, escape="\\"),
                                  func.lower(L.description_md).like(like, escape="\\")))
        if category:
            stmt = stmt.where(core.categories.c.slug == category)
        stmt = stmt.order_by(L.id.desc()).limit(limit).offset(offset)
        return [ShopCard(id=r.id, idea_id=r.idea_id, title=r.title, price=Money(r.price, r.currency),
                         stock=r.stock, sold=r.sold, starts_at=r.starts_at,
                         per_account_limit=r.per_account_limit, cover_image=r.cover_image,
                         category_slug=r.category_slug,
                         rating_avg=None if r.rating_avg is None else round(float(r.rating_avg), 2),
                         rating_count=int(r.rating_count or 0))
                for r in self.conn.execute(stmt)]

    def story(self, idea_id: int) -> IdeaStory | None:
        """The idea behind a listing: title, pitch, description, images and co-creators' names."""
        r = self.conn.execute(select(I.title, I.pitch, I.description_md, I.cover_image)
                              .where(I.id == idea_id)).mappings().first()
        if r is None:
            return None
        img = core.idea_images.c
        images = list(self.conn.execute(select(img.image_key).where(img.idea_id == idea_id)
                                        .order_by(core.idea_images.c.position)).scalars())
        cc = core.co_creators.c
        names = list(self.conn.execute(select(core.users.c.display_name)
                                       .select_from(core.co_creators.join(core.users, core.users.c.id == cc.user_id))
                                       .where(cc.idea_id == idea_id).order_by(cc.created_at)).scalars())
        return IdeaStory(title=r["title"], pitch=r["pitch"], description_md=r["description_md"],
                         cover_image=r["cover_image"], images=tuple(images), co_creators=tuple(names))

    def maker_name(self, maker_id: int) -> str:
        mp, u = campaign_tables.maker_profiles.c, core.users.c
        r = self.conn.execute(select(mp.business_name, u.display_name)
                              .select_from(core.users.outerjoin(campaign_tables.maker_profiles, mp.user_id == u.id))
                              .where(u.id == maker_id)).first()
        return "" if r is None else str(r.business_name or r.display_name)

    # ---- stock and per-account limits ------------------------------------------------------------

    def reserve_stock(self, listing_id: int, quantity: int, now: datetime) -> bool:
        """The oversell guard: true only if the units fit in what is left of an open listing."""
        started = or_(L.starts_at.is_(None), L.starts_at <= now)
        return self.conn.execute(update(t.listings).where(
            L.id == listing_id, L.status == ListingStatus.ACTIVE.value, started, L.sold + quantity <= L.stock,
        ).values(sold=L.sold + quantity)).rowcount == 1

    def release_stock(self, listing_id: int, quantity: int) -> None:
        self.conn.execute(update(t.listings).where(L.id == listing_id, L.sold >= quantity)
                          .values(sold=L.sold - quantity))

    def reserve_buyer_units(self, listing_id: int, user_id: int, quantity: int, limit: int | None) -> bool:
        """Count the units an account takes; with a limit, only while they stay within it."""
        insert_ignore(self.conn, t.listing_buyers, {"listing_id": listing_id, "user_id": user_id, "quantity": 0})
        fits = [] if limit is None else [B.quantity + quantity <= limit]
        return self.conn.execute(update(t.listing_buyers).where(
            B.listing_id == listing_id, B.user_id == user_id, *fits,
        ).values(quantity=B.quantity + quantity)).rowcount == 1

    def release_buyer_units(self, listing_id: int, user_id: int, quantity: int) -> None:
        self.conn.execute(update(t.listing_buyers).where(
            B.listing_id == listing_id, B.user_id == user_id, B.quantity >= quantity,
        ).values(quantity=B.quantity - quantity))

    def buyer_units(self, listing_id: int, user_id: int) -> int:
        found = self.conn.execute(select(B.quantity).where(B.listing_id == listing_id, B.user_id == user_id)).scalar()
        return int(found or 0)

    # ---- orders of a listing -----------------------------------------------------------------------

    def buyer_orders(self, listing: Listing, buyer_id: int) -> list[Order]:
        stmt = select(t.orders).where(_of_product(listing), O.buyer_id == buyer_id).order_by(O.id.desc())
        return [order_from_row(r) for r in self.conn.execute(stmt).mappings()]

    def stale_pending(self, before: datetime) -> list[Order]:
        """Shop purchases still pending since before `before` (the charge's outcome is unknown)."""
        stmt = select(t.orders).where(O.source == OrderSource.SHOP.value, O.status == OrderStatus.PENDING.value,
                                      O.created_at < before).order_by(O.id)
        return [order_from_row(r) for r in self.conn.execute(stmt).mappings()]

    # ---- reviews ---------------------------------------------------------------------------------

    def add_review(self, review: NewReview) -> int | None:
        """None when the order was already reviewed (its unique key decides, races included)."""
        stmt = dialect_insert(self.conn, t.reviews).values(
            order_id=review.order_id, listing_id=review.listing_id, user_id=review.user_id, rating=review.rating,
            body=review.body, created_at=review.created_at).on_conflict_do_nothing().returning(R.id)
        found = self.conn.execute(stmt).scalar()
        return None if found is None else int(found)

    def _reviews(self) -> Any:
        return (select(t.reviews, core.users.c.display_name.label("author_name"))
                .select_from(t.reviews.join(core.users, core.users.c.id == R.user_id)))

    def review(self, review_id: int) -> Review | None:
        r = self.conn.execute(self._reviews().where(R.id == review_id)).mappings().first()
        return _review(r) if r else None

    def review_for_order(self, order_id: int) -> Review | None:
        r = self.conn.execute(self._reviews().where(R.order_id == order_id)).mappings().first()
        return _review(r) if r else None

    def reviews(self, listing_id: int, limit: int = 200) -> list[Review]:
        stmt = self._reviews().where(R.listing_id == listing_id).order_by(R.created_at.desc(), R.id.desc())
        return [_review(r) for r in self.conn.execute(stmt.limit(limit)).mappings()]

    def rating(self, listing_id: int) -> tuple[float | None, int]:
        r = self.conn.execute(select(func.avg(R.rating), func.count()).where(R.listing_id == listing_id)).one()
        return (None if r[0] is None else round(float(r[0]), 2)), int(r[1])

    def reply_to_review(self, review_id: int, body: str, now: datetime) -> bool:
        return self.conn.execute(update(t.reviews).where(R.id == review_id)
                                 .values(maker_reply=body, replied_at=now)).rowcount == 1

    # ---- "running low?" reminders -------------------------------------------------------------------

    def consumable_purchases(self) -> list[ConsumablePurchase]:
        """Paid purchases from active consumable listings, by listing, buyer and time of payment;
        `reminded` tells whether the reminder timed from that purchase has gone out."""
        M = t.reminders.c
        stmt = (select(L.id.label("listing_id"), L.title, L.reorder_days, O.buyer_id, O.id.label("order_id"),
                       O.paid_at, M.sent_at.is_not(None).label("reminded"))
                .select_from(t.listings.join(t.orders, O.listing_id == L.id).outerjoin(
                    t.reminders, (M.user_id == O.buyer_id) & (M.listing_id == L.id) & (M.after_order_id == O.id)))
                .where(L.consumable.is_(True), L.status == ListingStatus.ACTIVE.value, O.status.in_(_SOLD),
                       O.paid_at.is_not(None))
                .order_by(L.id, O.buyer_id, O.paid_at, O.id))
        return [ConsumablePurchase(listing_id=r.listing_id, title=r.title, reorder_days=r.reorder_days,
                                   buyer_id=r.buyer_id, order_id=r.order_id, paid_at=r.paid_at,
                                   reminded=bool(r.reminded))
                for r in self.conn.execute(stmt)]

    def add_reminder(self, user_id: int, listing_id: int, after_order_id: int, now: datetime) -> bool:
        """True only for the one runner whose row this is (a reminder goes out once per purchase)."""
        return insert_ignore(self.conn, t.reminders, {"user_id": user_id, "listing_id": listing_id,
                                                      "after_order_id": after_order_id, "sent_at": now}) == 1
