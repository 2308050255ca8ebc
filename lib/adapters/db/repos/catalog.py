"""Marketplace rows written in bulk (demo seed) and categories."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection

from lib.adapters.db.schema import commerce as commerce_tables
from lib.adapters.db.schema import core as t
from lib.domain.ideas import Idea
from lib.services.ideas.ports import Category


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

    def add_idea(self, idea: Idea, currency: str, now: datetime, **extra: object) -> Idea:
        """Insert an idea as it stands (the demo seed writes every lifecycle stage directly)."""
        idea.id = self.conn.execute(insert(t.ideas).values(
            author_id=idea.author_id, title=idea.title, pitch=idea.pitch,
            description_md=idea.description_md, category_id=idea.category_id,
            tags=",".join(idea.tags), status=idea.status.value,
            target_price_min=idea.target_price_min, target_price_max=idea.target_price_max,
            currency=currency, support_count=idea.support_count, cover_image=idea.cover_image,
            published_at=idea.published_at, support_deadline=idea.support_deadline,
            created_at=idea.created_at or now, updated_at=now, **extra,
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

    def add_listing(self, idea_id: int, maker_id: int, title: str, description_md: str,
                    price: int, currency: str, stock: int, sold: int, now: datetime) -> int:
        return int(self.conn.execute(insert(commerce_tables.listings).values(
            idea_id=idea_id, maker_id=maker_id, title=title, description_md=description_md,
            price=price, currency=currency, stock=stock, sold=sold, status="active",
            created_at=now,
        ).returning(commerce_tables.listings.c.id)).scalar_one())

    def save_category(self, category_id: int | None, slug: str, name_en: str, name_ko: str,
                      threshold: int) -> int:
        values = {"slug": slug, "name_en": name_en, "name_ko": name_ko, "support_threshold": threshold}
        if category_id is None:
            return int(self.conn.execute(insert(t.categories).values(**values)
                                         .returning(t.categories.c.id)).scalar_one())
        self.conn.execute(update(t.categories).where(t.categories.c.id == category_id).values(**values))
        return category_id

    def count_ideas(self) -> int:
        return int(self.conn.execute(select(func.count()).select_from(t.ideas)).scalar_one())
