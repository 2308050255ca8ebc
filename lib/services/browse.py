"""Read-only browsing of ideas, campaigns and the shop (visitors included)."""

from __future__ import annotations

from typing import Any

from lib.domain.accounts import User
from lib.domain.ideas import PUBLIC_STATUSES, IdeaStatus
from lib.domain.permissions import is_staff
from lib.services.context import AppContext
from lib.services.ports import CampaignCard, Category, IdeaCard, ListingCard

MAX_PAGE = 100
MAX_QUERY = 200


def _page(limit: int, offset: int) -> tuple[int, int]:
    return max(1, min(int(limit), MAX_PAGE)), max(0, int(offset))


def categories(ctx: AppContext) -> list[Category]:
    with ctx.uow(write=False) as uow:
        return uow.catalog.categories()


def browse_ideas(ctx: AppContext, *, statuses: list[IdeaStatus] | None = None, query: str = "",
                 category: str | None = None, limit: int = 24, offset: int = 0
                 ) -> tuple[list[IdeaCard], int]:
    """Public ideas, newest first; private statuses are never listed here."""
    wanted = [s for s in (statuses or sorted(PUBLIC_STATUSES)) if s in PUBLIC_STATUSES]
    limit, offset = _page(limit, offset)
    query = (query or "").strip()[:MAX_QUERY]
    with ctx.uow(write=False) as uow:
        cards = uow.ideas.feed(wanted, query, category, limit, offset)
        total = uow.ideas.count(wanted, query, category)
    return cards, total


def idea_detail(ctx: AppContext, actor: User | None, idea_id: int) -> dict[str, Any] | None:
    """One idea with its images, comments and supporters; private ones only for author and staff."""
    with ctx.uow(write=False) as uow:
        detail = uow.ideas.detail(idea_id)
    if detail is None:
        return None
    public = detail["status"] in PUBLIC_STATUSES
    own = actor is not None and actor.id == detail["author_id"]
    return detail if public or own or is_staff(actor) else None


def browse_campaigns(ctx: AppContext, limit: int = 24, offset: int = 0) -> list[CampaignCard]:
    limit, offset = _page(limit, offset)
    with ctx.uow(write=False) as uow:
        return uow.ideas.campaigns(limit, offset)


def browse_listings(ctx: AppContext, limit: int = 24, offset: int = 0) -> list[ListingCard]:
    limit, offset = _page(limit, offset)
    with ctx.uow(write=False) as uow:
        return uow.ideas.listings(limit, offset)
