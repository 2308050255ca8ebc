"""The lifecycle moving by itself: expiry at the end of the support window, and winning
for ideas that meet a threshold an admin lowered. Run from the due-jobs runner."""

from __future__ import annotations

from lib.services.context import AppContext
from lib.services.notifications import notify


def expire_ideas(ctx: AppContext) -> int:
    """published ideas whose support window ended below the threshold become expired."""
    now = ctx.now()
    with ctx.uow() as uow:
        expired = uow.idea_repo.expire_due(now)
        for idea_id in expired:
            idea = uow.idea_repo.get(idea_id)
            for follower in uow.idea_repo.followers(idea_id):
                notify(ctx, uow, follower, "idea_expired", link=f"/idea?id={idea_id}",
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
                    notify(ctx, uow, follower, "idea_winning", link=f"/idea?id={idea_id}",
                           title=idea.title if idea else "")
        uow.commit()
    return won
