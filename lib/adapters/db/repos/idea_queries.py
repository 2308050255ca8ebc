"""Read models for ideas: feeds, search, the idea page, an author's list, campaigns, shop."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache, partial
from typing import Any

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.engine import Connection

from lib.adapters.db.schema import campaigns as campaign_tables
from lib.adapters.db.schema import commerce as commerce_tables
from lib.adapters.db.schema import core as t
from lib.adapters.db.sql import like_escape
from lib.domain.campaigns import CampaignStatus
from lib.domain.ideas import IdeaStatus
from lib.domain.orders import ListingStatus
from lib.services.ideas.ports import (
    AuthoredIdea,
    CampaignCard,
    IdeaCard,
    IdeaComment,
    IdeaDetail,
    IdeaUpdate,
    ListingCard,
    Suggestion,
)

I = t.ideas.c  # noqa: E741
_THRESHOLD = func.coalesce(t.categories.c.support_threshold, 100)
_CARD_COLUMNS = (
    I.id, I.title, I.pitch, I.status, I.support_count, I.cover_image, I.currency, I.published_at,
    I.support_deadline, t.categories.c.slug.label("category_slug"), _THRESHOLD.label("threshold"),
    t.users.c.display_name.label("author_name"),
)
ORDERS = {
    "hot": (I.hot_score.desc(), I.id.desc()),
    "top": (I.support_count.desc(), I.id.desc()),
    "new": (I.published_at.desc(), I.id.desc()),
    "closing": (I.support_deadline.asc(), I.id.asc()),
    "almost": (I.support_count.desc(), I.id.desc()),
}


_STATUS = {status.value: status for status in IdeaStatus}


def _card(r: Any) -> IdeaCard:
    """From a plain row (attribute access, no mapping object: this runs for every card)."""
    return IdeaCard(r.id, r.title, r.pitch, _STATUS[r.status], r.category_slug, r.support_count, r.threshold,
                    r.cover_image, r.author_name, r.currency, r.published_at, r.support_deadline)


def _joined() -> Any:
    return t.ideas.outerjoin(t.categories, t.categories.c.id == I.category_id).join(
        t.users, t.users.c.id == I.author_id)


@cache
def _feed_statement(order: str, has_query: bool, has_category: bool, count: bool) -> Any:
    """One immutable statement per feed shape, built once: values travel as bound parameters,
    so a page costs only the query, not rebuilding and re-hashing the SQL construct."""
    stmt = select(func.count()) if count else select(*_CARD_COLUMNS)
    stmt = stmt.select_from(_joined()).where(I.status.in_(bindparam("statuses", expanding=True)),
                                             I.hidden.is_(False))
    if has_query:
        like: Any = bindparam("like")
        stmt = stmt.where(or_(func.lower(I.title).like(like, escape="\\"),
                              func.lower(I.pitch).like(like, escape="\\"),
                              func.lower(I.tags).like(like, escape="\\")))
    if has_category:
        stmt = stmt.where(t.categories.c.slug == bindparam("category"))
    if order == "closing":
        stmt = stmt.where(I.support_deadline > bindparam("now"))
    if order == "almost":
        stmt = stmt.where(I.support_count * 5 >= _THRESHOLD * 4)
    if not count:
        stmt = stmt.order_by(*ORDERS[order]).limit(bindparam("limit")).offset(bindparam("offset"))
    return stmt


def _params(statuses: Sequence[IdeaStatus], query: str, category: str | None,
            now: datetime | None) -> dict[str, Any]:
    params: dict[str, Any] = {"statuses": [s.value for s in statuses], "now": now}
    if query:
        params["like"] = f"%{like_escape(query.lower())}%"
    if category:
        params["category"] = category
    return params


@cache
def _detail_statements() -> dict[str, Any]:
    """The idea page's queries, built once (the idea id is a bound parameter)."""
    idea_id: Any = bindparam("id")
    c, s, cc, sp, up = t.comments.c, t.suggestions.c, t.co_creators.c, t.supports.c, t.idea_updates.c
    return {
        "idea": select(t.ideas, t.categories.c.slug.label("category_slug"), _THRESHOLD.label("threshold"),
                       t.users.c.display_name.label("author_name")).select_from(_joined()).where(I.id == idea_id),
        "images": select(t.idea_images.c.image_key).where(t.idea_images.c.idea_id == idea_id)
        .order_by(t.idea_images.c.position),
        "comments": select(c.id, c.parent_id, c.body_md, c.created_at, c.author_id, c.hidden,
                           t.users.c.display_name.label("author_name"))
        .select_from(t.comments.join(t.users, t.users.c.id == c.author_id))
        .where(c.idea_id == idea_id).order_by(c.id),
        "updates": select(up.id, up.body_md, up.created_at).where(up.idea_id == idea_id).order_by(up.id.desc()),
        "suggestions": select(s.id, s.idea_id, s.body_md, s.image_key, s.status, s.created_at, s.proposer_id,
                              t.users.c.display_name.label("proposer_name"))
        .select_from(t.suggestions.join(t.users, t.users.c.id == s.proposer_id))
        .where(s.idea_id == idea_id).order_by(s.id),
        "co_creators": select(t.users.c.display_name)
        .select_from(t.co_creators.join(t.users, t.users.c.id == cc.user_id))
        .where(cc.idea_id == idea_id).order_by(cc.created_at),
        "demand": select(sp.intent_max_price, func.sum(sp.intent_quantity).label("units"))
        .where(sp.idea_id == idea_id, sp.intent_quantity.is_not(None))
        .group_by(sp.intent_max_price).order_by(sp.intent_max_price.desc()),
    }


class SqlIdeaQueries:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    @staticmethod
    def _joined() -> Any:
        return _joined()

    def feed(self, statuses: Sequence[IdeaStatus], query: str, category: str | None, limit: int, offset: int,
             order: str = "new", now: datetime | None = None) -> list[IdeaCard]:
        stmt = _feed_statement(order, bool(query), bool(category), count=False)
        params = _params(statuses, query, category, now) | {"limit": limit, "offset": offset}
        return [_card(r) for r in self.conn.execute(stmt, params)]

    def count(self, statuses: Sequence[IdeaStatus], query: str, category: str | None, order: str = "new",
              now: datetime | None = None) -> int:
        stmt = _feed_statement(order, bool(query), bool(category), count=True)
        return int(self.conn.execute(stmt, _params(statuses, query, category, now)).scalar_one())

    def by_author(self, author_id: int) -> list[AuthoredIdea]:
        rows = self.conn.execute(select(I.id, I.title, I.status, I.support_count, I.moderation_note,
                                        I.needs_review, I.hidden, I.updated_at)
                                 .where(I.author_id == author_id).order_by(I.updated_at.desc()))
        return [AuthoredIdea(r.id, r.title, _STATUS[r.status], r.support_count, r.moderation_note,
                             bool(r.needs_review), bool(r.hidden), r.updated_at) for r in rows]

    def target_prices(self, category_id: int, statuses: Sequence[IdeaStatus],
                      limit: int) -> list[tuple[int | None, int | None]]:
        """The target price ranges (min, max) of the latest ideas in a category that give one."""
        rows = self.conn.execute(select(I.target_price_min, I.target_price_max)
                                 .where(I.category_id == category_id, I.status.in_([s.value for s in statuses]),
                                        I.hidden.is_(False),
                                        or_(I.target_price_min.is_not(None), I.target_price_max.is_not(None)))
                                 .order_by(I.created_at.desc()).limit(limit))
        return [(r.target_price_min, r.target_price_max) for r in rows]

    def detail(self, idea_id: int) -> IdeaDetail | None:
        q = _detail_statements()
        params = {"id": idea_id}
        r = self.conn.execute(q["idea"], params).first()
        if r is None:
            return None
        run = partial(self.conn.execute, parameters=params)
        return IdeaDetail(
            id=r.id, author_id=r.author_id, author_name=r.author_name, title=r.title, pitch=r.pitch,
            description_md=r.description_md, category_id=r.category_id, category_slug=r.category_slug,
            tags=tuple(tag for tag in r.tags.split(",") if tag), status=_STATUS[r.status],
            target_price_min=r.target_price_min, target_price_max=r.target_price_max, currency=r.currency,
            support_count=r.support_count, threshold=r.threshold, cover_image=r.cover_image,
            images=tuple(run(q["images"]).scalars()),
            published_at=r.published_at, support_deadline=r.support_deadline,
            created_at=r.created_at, updated_at=r.updated_at, submitted_at=r.submitted_at,
            winning_at=r.winning_at, moderation_note=r.moderation_note, needs_review=bool(r.needs_review),
            hidden=bool(r.hidden), merged_into_id=r.merged_into_id, view_count=r.view_count,
            comments=self.comments(idea_id),
            updates=tuple(IdeaUpdate(u.id, u.body_md, u.created_at) for u in run(q["updates"])),
            suggestions=tuple(Suggestion(s.id, s.idea_id, s.proposer_id, s.proposer_name, s.body_md, s.image_key,
                                         s.status, s.created_at) for s in run(q["suggestions"])),
            co_creators=tuple(run(q["co_creators"]).scalars()),
            demand=tuple((d.intent_max_price, int(d.units)) for d in run(q["demand"])),
        )

    def comments(self, idea_id: int) -> tuple[IdeaComment, ...]:
        rows = self.conn.execute(_detail_statements()["comments"], {"id": idea_id})
        return tuple(IdeaComment(c.id, c.parent_id, c.author_id, c.author_name, c.body_md, bool(c.hidden),
                                 c.created_at) for c in rows)

    def campaigns(self, limit: int, offset: int) -> list[CampaignCard]:
        c = campaign_tables.campaigns.c
        stmt = (select(c.id, c.idea_id, I.title, c.price, c.currency, c.goal_units, c.cap_units,
                       c.pledged_units, c.status, c.deadline, I.cover_image)
                .select_from(campaign_tables.campaigns.join(t.ideas, I.id == c.idea_id))
                .where(I.hidden.is_(False)).order_by(c.deadline.desc()).limit(limit).offset(offset))
        return [CampaignCard(**(dict(r) | {"status": CampaignStatus(r["status"])}))
                for r in self.conn.execute(stmt).mappings()]

    def listings(self, limit: int, offset: int) -> list[ListingCard]:
        li = commerce_tables.listings.c
        stmt = (select(li.id, li.idea_id, li.title, li.price, li.currency, li.stock, li.sold, li.status,
                       I.cover_image)
                .select_from(commerce_tables.listings.join(t.ideas, I.id == li.idea_id))
                .where(I.hidden.is_(False)).order_by(li.id.desc()).limit(limit).offset(offset))
        return [ListingCard(**(dict(r) | {"status": ListingStatus(r["status"])}))
                for r in self.conn.execute(stmt).mappings()]
