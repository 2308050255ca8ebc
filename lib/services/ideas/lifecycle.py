"""Moving an idea along its lifecycle: the one helper every use case moves an idea with, and the
lifecycle moving by itself (expiry at the end of the support window, winning for ideas that meet a
threshold an admin lowered), run from the due-jobs runner."""

from __future__ import annotations

from datetime import datetime

from lib.domain.ideas import IdeaStatus, check_transition, sources_of
from lib.services.context import AppContext
from lib.services.messaging.notifications import notify
from lib.services.routes import idea_link
from lib.services.uow import AbstractUnitOfWork


def move_idea(uow: AbstractUnitOfWork, idea_id: int, to: IdeaStatus, now: datetime, *,
              current: IdeaStatus | None = None, **values: object) -> bool:
    """Move the idea to `to` from the status it was read in (`current`, checked against the lifecycle
    table: IllegalTransition), or else from any status the table lets reach `to`. False when the row
    was in none of them by the time of the update (it moved meanwhile)."""
    if current is not None:
        check_transition(current, to)
    sources = [current] if current is not None else sorted(sources_of(to))
    return uow.idea_repo.move(idea_id, sources, to, now, **values)


def expire_ideas(ctx: AppContext) -> int:
    """published ideas whose support window ended below the threshold become expired."""
    now = ctx.now()
    with ctx.uow() as uow:
        expired = uow.idea_repo.expire_due(now)
        for idea_id in expired:
            idea = uow.idea_repo.get(idea_id)
            for follower in uow.idea_repo.followers(idea_id):
                notify(ctx, uow, follower, "idea_expired", link=idea_link(idea_id),
                       title=idea.title if idea else "")
        uow.commit()
    return len(expired)


def promote_reached(ctx: AppContext) -> int:
    now = ctx.now()
    won = 0
    with ctx.uow() as uow:
        for idea_id in uow.idea_repo.reached_threshold():
            if uow.idea_repo.mark_winning_if_reached(idea_id, now):
                won += 1
                idea = uow.idea_repo.get(idea_id)
                for follower in uow.idea_repo.followers(idea_id):
                    notify(ctx, uow, follower, "idea_winning", link=idea_link(idea_id),
                           title=idea.title if idea else "")
        uow.commit()
    return won
