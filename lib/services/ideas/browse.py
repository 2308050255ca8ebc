"""Read-only browsing of ideas, campaigns and the shop (visitors included)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from lib.domain.accounts import User
from lib.domain.errors import InvalidInput
from lib.domain.ideas import PUBLIC_STATUSES, IdeaStatus
from lib.domain.limits import parse_enum
from lib.domain.money import PriceBand
from lib.domain.permissions import is_staff
from lib.domain.text import search_query
from lib.services.context import AppContext
from lib.services.ideas.ports import (
    CampaignCard,
    Category,
    IdeaCard,
    IdeaComment,
    IdeaDetail,
    IdeaRecord,
    ListingCard,
)
from lib.services.reads import CATEGORIES

MAX_PAGE = 100
MAX_QUERY = 200
CATEGORIES_SECONDS = 60.0  # other replicas see an admin's change within this; this one at once


def _page(limit: int, offset: int) -> tuple[int, int]:
    return max(1, min(int(limit), MAX_PAGE)), max(0, int(offset))


def categories(ctx: AppContext) -> list[Category]:
    """Every category (read by each Discover run: shared by all sessions until an admin changes one)."""

    def load() -> list[Category]:
        with ctx.uow(write=False) as uow:
            return uow.catalog.categories()

    return list(ctx.reads.get(CATEGORIES, load, ttl=CATEGORIES_SECONDS))


# Feeds: the statuses each draws from by default (a status filter narrows it further).
FEEDS: dict[str, frozenset[IdeaStatus]] = {
    "hot": frozenset({IdeaStatus.PUBLISHED}),
    "top": PUBLIC_STATUSES,
    "new": PUBLIC_STATUSES,
    "closing": frozenset({IdeaStatus.PUBLISHED}),
    "almost": frozenset({IdeaStatus.PUBLISHED}),
}


PRICE_SAMPLE = 500  # the latest ideas a category's usual price is read from


def price_band(ctx: AppContext, category_id: int | None) -> PriceBand | None:
    """What the category's public ideas usually ask (their target prices), or None when too few say."""
    if category_id is None:
        return None
    with ctx.uow(write=False) as uow:
        ranges = uow.ideas.target_prices(category_id, sorted(PUBLIC_STATUSES), PRICE_SAMPLE)
    return PriceBand.of(ranges, ctx.currency)


def browse_ideas(ctx: AppContext, *, feed: str = "new", statuses: Sequence[IdeaStatus | str] | None = None,
                 query: str = "", category: str | None = None, limit: int = 24, offset: int = 0,
                 with_total: bool = True) -> tuple[list[IdeaCard], int | None]:
    """One page of a feed (Hot, Top, New, Closing soon, Almost there); never private or hidden ideas.
    The total is counted only when asked (it costs a scan that the first page does not need)."""
    if feed not in FEEDS:
        raise InvalidInput("error.feed_unknown")
    pool = FEEDS[feed]
    asked = [parse_enum(IdeaStatus, s, "error.idea_status_unknown") for s in statuses or ()]
    wanted = sorted(s for s in (asked or pool) if s in pool)
    limit, offset = _page(limit, offset)
    query = search_query(query, MAX_QUERY)
    category = search_query(category, MAX_QUERY) or None
    if not wanted:
        return [], 0
    now = ctx.now()
    with ctx.uow(write=False) as uow:
        cards = uow.ideas.feed(wanted, query, category, limit, offset, feed, now)
        total = uow.ideas.count(wanted, query, category, feed, now) if with_total else None
    return cards, total


def idea_detail(ctx: AppContext, actor: User | None, idea_id: int) -> IdeaDetail | None:
    """One idea with its images, comments and supporters; private ones only for author and staff."""
    with ctx.uow(write=False) as uow:
        detail = uow.ideas.detail(idea_id)
    if detail is None:
        return None
    if not _may_see(actor, detail):
        return None
    return replace(detail, comments=_visible_comments(actor, detail.comments))


def idea_comments(ctx: AppContext, actor: User | None, idea_id: int) -> tuple[IdeaComment, ...]:
    """The conversation of one idea as idea_detail shows it (read again after someone posts)."""
    with ctx.uow(write=False) as uow:
        idea = uow.idea_repo.get(idea_id)
        if idea is None or not _may_see(actor, idea):
            return ()
        return _visible_comments(actor, uow.ideas.comments(idea_id))


def _may_see(actor: User | None, idea: IdeaRecord) -> bool:
    """Public ideas for everyone; private ones (drafts, under review, hidden) for their author and staff."""
    public = idea.status in PUBLIC_STATUSES and not idea.hidden
    return public or (actor is not None and actor.id == idea.author_id) or is_staff(actor)


def _visible_comments(actor: User | None, comments: tuple[IdeaComment, ...]) -> tuple[IdeaComment, ...]:
    return comments if is_staff(actor) else tuple(c for c in comments if not c.hidden)


def browse_campaigns(ctx: AppContext, limit: int = 24, offset: int = 0) -> list[CampaignCard]:
    limit, offset = _page(limit, offset)
    with ctx.uow(write=False) as uow:
        return uow.ideas.campaigns(limit, offset)


def browse_listings(ctx: AppContext, limit: int = 24, offset: int = 0) -> list[ListingCard]:
    limit, offset = _page(limit, offset)
    with ctx.uow(write=False) as uow:
        return uow.ideas.listings(limit, offset)
