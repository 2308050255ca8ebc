"""Authors and their ideas: drafts, submission for review, edits, withdrawal, updates."""

from __future__ import annotations

from collections.abc import Sequence

from lib.domain.accounts import User
from lib.domain.errors import InvalidInput, found
from lib.domain.ideas import (
    LOCKED_FIELDS,
    IdeaFields,
    IdeaLocked,
    IdeaStatus,
    is_locked,
    takes_updates,
)
from lib.domain.images import MAX_IMAGES_PER_IDEA
from lib.domain.permissions import (
    can_edit_idea,
    can_post_update,
    can_submit_idea,
    can_withdraw_idea,
    can_write,
    is_signed_in,
    require,
)
from lib.domain.similarity import rank_similar
from lib.domain.text import multi_line
from lib.services.context import AppContext
from lib.services.ideas.lifecycle import move_idea
from lib.services.ideas.ports import AuthoredIdea, IdeaRecord
from lib.services.messaging.notifications import notify
from lib.services.routes import idea_link

SIMILAR_POOL = 3000
UPDATE_MAX = 5000


def _store_images(ctx: AppContext, uploads: Sequence[bytes]) -> list[str]:
    """Run every upload through the image pipeline before anything touches the database."""
    if len(uploads) > MAX_IMAGES_PER_IDEA:
        raise InvalidInput("error.too_many_images", max=MAX_IMAGES_PER_IDEA)
    if uploads and ctx.process_image is None:
        raise InvalidInput("error.images_unavailable")
    return [ctx.process_image(data).display_key for data in uploads] if ctx.process_image else []


def _cover(ctx: AppContext, title: str) -> str | None:
    if ctx.make_cover is None:
        return None
    return ctx.images.put(ctx.make_cover(title, f"{title}:{ctx.now().isoformat()}"), "webp")


def get_idea(ctx: AppContext, idea_id: int) -> IdeaRecord:
    with ctx.uow(write=False) as uow:
        return found(uow.idea_repo.get(idea_id))


def create_idea(ctx: AppContext, actor: User | None, *, fields: IdeaFields, uploads: Sequence[bytes] = (),
                submit: bool = False) -> int:
    """Save a new idea as a draft, or send it straight to the moderation queue."""
    author = require(can_submit_idea, actor)
    keys = _store_images(ctx, uploads)
    cover = keys[0] if keys else _cover(ctx, fields.title)
    status = IdeaStatus.PENDING_REVIEW if submit else IdeaStatus.DRAFT
    with ctx.uow() as uow:
        if fields.category_id not in {c.id for c in uow.catalog.categories()}:
            raise InvalidInput("error.category_required")
        idea_id = uow.idea_repo.add(author.id, fields, status, ctx.currency, cover, ctx.now())
        uow.idea_repo.set_images(idea_id, keys)
        uow.idea_repo.follow(idea_id, author.id, ctx.now())
        uow.commit()
    return idea_id


def edit_idea(ctx: AppContext, actor: User | None, idea_id: int, *, fields: IdeaFields,
              uploads: Sequence[bytes] | None = None) -> IdeaRecord:
    """Change an idea's fields; a published one goes back to the moderators for a look."""
    require(can_write, actor)  # before any image is stored: a suspended account leaves nothing behind
    keys = _store_images(ctx, uploads) if uploads is not None else None
    now = ctx.now()
    with ctx.uow() as uow:
        idea = found(uow.idea_repo.get(idea_id))
        require(can_edit_idea, actor, idea)
        changed = [f for f in LOCKED_FIELDS if getattr(fields, f) != getattr(idea, f)]
        if changed and is_locked(idea.support_count, idea.threshold):
            raise IdeaLocked(fields=", ".join(changed))
        published = idea.status is IdeaStatus.PUBLISHED
        uow.idea_repo.update_fields(idea_id, fields, now, needs_review=published)
        if keys is not None:
            uow.idea_repo.set_images(idea_id, keys)
        uow.commit()
        fresh = uow.idea_repo.get(idea_id)
    assert fresh is not None
    return fresh


def submit_for_review(ctx: AppContext, actor: User | None, idea_id: int) -> None:
    """draft or changes_requested -> pending_review."""
    now = ctx.now()
    with ctx.uow() as uow:
        idea = found(uow.idea_repo.get(idea_id))
        require(can_edit_idea, actor, idea)
        if not move_idea(uow, idea_id, IdeaStatus.PENDING_REVIEW, now, current=idea.status, submitted_at=now):
            raise InvalidInput("error.idea_changed_meanwhile")
        uow.commit()


def withdraw_idea(ctx: AppContext, actor: User | None, idea_id: int) -> None:
    with ctx.uow() as uow:
        idea = found(uow.idea_repo.get(idea_id))
        require(can_withdraw_idea, actor, idea)
        if not move_idea(uow, idea_id, IdeaStatus.WITHDRAWN, ctx.now(), current=idea.status):
            raise InvalidInput("error.idea_changed_meanwhile")
        uow.commit()


def post_update(ctx: AppContext, actor: User | None, idea_id: int, body_md: str) -> int:
    """An author's update reaches every follower's inbox (supporters follow automatically)."""
    body = multi_line(body_md, UPDATE_MAX, required="error.update_required", too_long="error.update_too_long")
    with ctx.uow() as uow:
        idea = found(uow.idea_repo.get(idea_id))
        author = require(can_post_update, actor, idea)
        if not takes_updates(idea.status):
            raise InvalidInput("error.update_not_public")
        update_id = uow.idea_repo.add_update(idea_id, author.id, body, ctx.now())
        for follower in uow.idea_repo.followers(idea_id):
            if follower != author.id:
                notify(ctx, uow, follower, "idea_update", link=idea_link(idea_id), title=idea.title)
        uow.commit()
    return update_id


def my_ideas(ctx: AppContext, actor: User | None) -> list[AuthoredIdea]:
    """My ideas, newest change first (a read: suspended accounts see theirs too)."""
    author = require(is_signed_in, actor)
    with ctx.uow(write=False) as uow:
        return uow.ideas.by_author(author.id)


def similar_ideas(ctx: AppContext, text: str, category_id: int | None = None,
                  exclude_id: int | None = None, limit: int = 5) -> list[tuple[int, str, float]]:
    """Existing public ideas that look like this text (Korean or English), best first."""
    if len((text or "").strip()) < 3:
        return []
    with ctx.uow(write=False) as uow:
        pool = uow.idea_repo.candidates(category_id, exclude_id, SIMILAR_POOL)
    titles = {cid: ctext for cid, ctext in pool}
    return [(cid, titles[cid], score) for cid, score in rank_similar(text, pool, limit=limit)]
