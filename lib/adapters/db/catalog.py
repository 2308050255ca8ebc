"""Marketplace rows: categories, ideas, supports, comments, campaigns, listings; feed queries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.engine import Connection, RowMapping

from lib.adapters.db import tables as t
from lib.adapters.db.repositories import aware
from lib.adapters.db.sql import like_escape
from lib.domain.ideas import Idea, IdeaStatus
from lib.services.ports import CampaignCard, Category, IdeaCard, ListingCard


class SqlCatalogRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def categories(self) -> list[Category]:
        rows = self.conn.execute(select(t.categories).order_by(t.categories.c.id)).mappings()
        return [Category(id=r["id"], slug=r["slug"], name_en=r["name_en"], name_ko=r["name_ko"],
                         support_threshold=r["support_threshold"]) for r in rows]

    def add_category(self, slug: str, name_en: str, name_ko: str, threshold: int) -> int:
        return int(self.conn.execute(insert(t.categories).values(
            slug=slug, name_en=name_en, name_ko=name_ko, support_threshold=threshold,
        ).returning(t.categories.c.id)).scalar_one())

    def add_idea(self, idea: Idea, currency: str, now: datetime) -> Idea:
        idea.id = self.conn.execute(insert(t.ideas).values(
            author_id=idea.author_id, title=idea.title, pitch=idea.pitch,
            description_md=idea.description_md, category_id=idea.category_id,
            tags=",".join(idea.tags), status=idea.status.value,
            target_price_min=idea.target_price_min, target_price_max=idea.target_price_max,
            currency=currency, support_count=idea.support_count, cover_image=idea.cover_image,
            published_at=idea.published_at, support_deadline=idea.support_deadline,
            created_at=idea.created_at or now, updated_at=now,
        ).returning(t.ideas.c.id)).scalar_one()
        return idea

    def add_support(self, idea_id: int, user_id: int, now: datetime,
                    intent_quantity: int | None = None, intent_max_price: int | None = None) -> None:
        self.conn.execute(insert(t.supports).values(
            idea_id=idea_id, user_id=user_id, created_at=now,
            intent_quantity=intent_quantity, intent_max_price=intent_max_price))
        self.conn.execute(update(t.ideas).where(t.ideas.c.id == idea_id)
                          .values(support_count=t.ideas.c.support_count + 1))

    def add_follow(self, idea_id: int, user_id: int, now: datetime) -> None:
        self.conn.execute(insert(t.follows).values(idea_id=idea_id, user_id=user_id, created_at=now))

    def add_comment(self, idea_id: int, author_id: int, body_md: str, now: datetime,
                    parent_id: int | None = None) -> int:
        return int(self.conn.execute(insert(t.comments).values(
            idea_id=idea_id, author_id=author_id, parent_id=parent_id, body_md=body_md,
            created_at=now,
        ).returning(t.comments.c.id)).scalar_one())

    def add_campaign(self, idea_id: int, maker_id: int, unit_cost: int, price: int, currency: str,
                     goal_units: int, cap_units: int | None, pledged_units: int, status: str,
                     opens_at: datetime, deadline: datetime) -> int:
        return int(self.conn.execute(insert(t.campaigns).values(
            idea_id=idea_id, maker_id=maker_id, unit_cost=unit_cost, price=price,
            currency=currency, goal_units=goal_units, cap_units=cap_units,
            pledged_units=pledged_units, status=status, opens_at=opens_at, deadline=deadline,
        ).returning(t.campaigns.c.id)).scalar_one())

    def add_listing(self, idea_id: int, maker_id: int, title: str, description_md: str,
                    price: int, currency: str, stock: int, sold: int, now: datetime) -> int:
        return int(self.conn.execute(insert(t.listings).values(
            idea_id=idea_id, maker_id=maker_id, title=title, description_md=description_md,
            price=price, currency=currency, stock=stock, sold=sold, status="active",
            created_at=now,
        ).returning(t.listings.c.id)).scalar_one())

    def count_ideas(self) -> int:
        return int(self.conn.execute(select(func.count()).select_from(t.ideas)).scalar_one())


_CARD_COLUMNS = (
    t.ideas.c.id, t.ideas.c.title, t.ideas.c.pitch, t.ideas.c.status, t.ideas.c.support_count,
    t.ideas.c.cover_image, t.ideas.c.currency, t.ideas.c.published_at, t.ideas.c.support_deadline,
    t.categories.c.slug.label("category_slug"),
    func.coalesce(t.categories.c.support_threshold, 100).label("threshold"),
    t.users.c.display_name.label("author_name"),
)


def _card(r: RowMapping) -> IdeaCard:
    return IdeaCard(id=r["id"], title=r["title"], pitch=r["pitch"], status=IdeaStatus(r["status"]),
                    category_slug=r["category_slug"], support_count=r["support_count"],
                    threshold=r["threshold"], cover_image=r["cover_image"],
                    author_name=r["author_name"], currency=r["currency"],
                    published_at=aware(r["published_at"]),
                    support_deadline=aware(r["support_deadline"]))


class SqlIdeaQueries:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def _filtered(self, stmt: Any, statuses: Sequence[IdeaStatus], query: str, category: str | None) -> Any:
        stmt = stmt.where(t.ideas.c.status.in_([s.value for s in statuses]))
        if query:
            like = f"%{like_escape(query.lower())}%"
            stmt = stmt.where(or_(func.lower(t.ideas.c.title).like(like, escape="\\"),
                                  func.lower(t.ideas.c.pitch).like(like, escape="\\")))
        if category:
            stmt = stmt.where(t.categories.c.slug == category)
        return stmt

    def _joined(self) -> Any:
        return t.ideas.outerjoin(t.categories, t.categories.c.id == t.ideas.c.category_id).join(
            t.users, t.users.c.id == t.ideas.c.author_id)

    def feed(self, statuses: Sequence[IdeaStatus], query: str, category: str | None,
             limit: int, offset: int) -> list[IdeaCard]:
        stmt = select(*_CARD_COLUMNS).select_from(self._joined())
        stmt = self._filtered(stmt, statuses, query, category)
        stmt = stmt.order_by(t.ideas.c.published_at.desc(), t.ideas.c.id.desc()).limit(limit).offset(offset)
        return [_card(r) for r in self.conn.execute(stmt).mappings()]

    def count(self, statuses: Sequence[IdeaStatus], query: str, category: str | None) -> int:
        stmt = select(func.count()).select_from(self._joined())
        return int(self.conn.execute(self._filtered(stmt, statuses, query, category)).scalar_one())

    def detail(self, idea_id: int) -> dict[str, Any] | None:
        row = self.conn.execute(
            select(t.ideas, *_CARD_COLUMNS[9:]).select_from(self._joined()).where(t.ideas.c.id == idea_id)
        ).mappings().first()
        if row is None:
            return None
        detail = dict(row)
        detail["status"] = IdeaStatus(detail["status"])
        detail["tags"] = [tag for tag in detail["tags"].split(",") if tag]
        for key in ("published_at", "support_deadline", "created_at", "updated_at"):
            detail[key] = aware(detail[key])
        detail["images"] = list(self.conn.execute(
            select(t.idea_images.c.image_key).where(t.idea_images.c.idea_id == idea_id)
            .order_by(t.idea_images.c.position)).scalars())
        c = t.comments.c
        detail["comments"] = [dict(r) | {"created_at": aware(r["created_at"])} for r in self.conn.execute(
            select(c.id, c.parent_id, c.body_md, c.created_at, c.author_id,
                   t.users.c.display_name.label("author_name"))
            .select_from(t.comments.join(t.users, t.users.c.id == c.author_id))
            .where(c.idea_id == idea_id, c.hidden.is_(False)).order_by(c.id)).mappings()]
        return detail

    def campaigns(self, limit: int, offset: int) -> list[CampaignCard]:
        c = t.campaigns.c
        stmt = (select(c.id, c.idea_id, t.ideas.c.title, c.price, c.currency, c.goal_units,
                       c.cap_units, c.pledged_units, c.status, c.deadline, t.ideas.c.cover_image)
                .select_from(t.campaigns.join(t.ideas, t.ideas.c.id == c.idea_id))
                .order_by(c.deadline.desc()).limit(limit).offset(offset))
        return [CampaignCard(**(dict(r) | {"deadline": aware(r["deadline"])}))
                for r in self.conn.execute(stmt).mappings()]

    def listings(self, limit: int, offset: int) -> list[ListingCard]:
        l_ = t.listings.c
        stmt = (select(l_.id, l_.idea_id, l_.title, l_.price, l_.currency, l_.stock, l_.sold,
                       l_.status, t.ideas.c.cover_image)
                .select_from(t.listings.join(t.ideas, t.ideas.c.id == l_.idea_id))
                .order_by(l_.id.desc()).limit(limit).offset(offset))
        return [ListingCard(**dict(r)) for r in self.conn.execute(stmt).mappings()]
