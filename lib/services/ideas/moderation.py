"""Moderators: the review queue, decisions with reasons, flags, hiding, suspensions, merges.
Every action here writes one row to the append-only audit log in the same transaction."""

from __future__ import annotations

from datetime import timedelta

from lib.domain.accounts import AccountStatus, User
from lib.domain.errors import InvalidInput, NotFound, ReasonTemplateExists, found
from lib.domain.ideas import IdeaStatus, hot_score
from lib.domain.permissions import can_moderate, can_read_audit, require
from lib.domain.text import multi_line, one_line, search_query
from lib.services import audit
from lib.services.context import AppContext
from lib.services.ideas.lifecycle import move_idea
from lib.services.ideas.ports import AuditEntry, FlaggedItem, QueuedIdea
from lib.services.ideas.settings import support_window_days
from lib.services.messaging.notifications import notify
from lib.services.routes import idea_link

REASON_MAX = 2000


def _reason(text: str, required: bool = True) -> str:
    """A moderator's reason or note (Markdown, shown to the author)."""
    return multi_line(text, REASON_MAX, required="error.reason_required" if required else None,
                      too_long="error.reason_too_long")


def queue(ctx: AppContext, actor: User | None, limit: int = 50, offset: int = 0
          ) -> tuple[list[QueuedIdea], dict[str, int]]:
    """Ideas waiting for a decision, oldest first (with who submitted them), with the queue's counts."""
    require(can_moderate, actor)
    with ctx.uow(write=False) as uow:
        return uow.moderation.queue(limit, offset), uow.moderation.queue_counts()


def approve(ctx: AppContext, actor: User | None, idea_id: int, note: str = "") -> None:
    """pending_review -> published (support window starts); an edited published idea is cleared."""
    moderator = require(can_moderate, actor)
    note = _reason(note, required=False)
    now = ctx.now()
    with ctx.uow() as uow:
        idea = found(uow.idea_repo.get(idea_id))
        if idea.status is IdeaStatus.PUBLISHED and idea.needs_review:
            uow.idea_repo.set_review_state(idea_id, needs_review=False, note=note or None)
        else:
            deadline = now + timedelta(days=support_window_days(uow))
            if not move_idea(uow, idea_id, IdeaStatus.PUBLISHED, now, current=idea.status, published_at=now,
                             support_deadline=deadline, moderation_note=note or None,
                             hot_score=hot_score(idea.support_count, now)):
                raise InvalidInput("error.idea_changed_meanwhile")
            notify(ctx, uow, idea.author_id, "idea_approved", link=idea_link(idea_id), title=idea.title)
        audit.record(ctx, uow, moderator, "approve", "idea", idea_id, note)
        uow.commit()


def reject(ctx: AppContext, actor: User | None, idea_id: int, reason: str) -> None:
    _decide(ctx, actor, idea_id, reason, IdeaStatus.REJECTED, "idea_rejected", "reject")


def request_changes(ctx: AppContext, actor: User | None, idea_id: int, reason: str) -> None:
    _decide(ctx, actor, idea_id, reason, IdeaStatus.CHANGES_REQUESTED, "idea_changes_requested", "request_changes")


def _decide(ctx: AppContext, actor: User | None, idea_id: int, reason: str, to: IdeaStatus, notice: str,
            action: str) -> None:
    """A decision that needs a reason: the idea moves, its author is told why, the audit log records it."""
    moderator = require(can_moderate, actor)
    reason = _reason(reason)
    with ctx.uow() as uow:
        idea = found(uow.idea_repo.get(idea_id))
        if not move_idea(uow, idea_id, to, ctx.now(), current=idea.status, moderation_note=reason):
            raise InvalidInput("error.idea_changed_meanwhile")
        notify(ctx, uow, idea.author_id, notice, link=idea_link(idea_id), title=idea.title, reason=reason)
        audit.record(ctx, uow, moderator, action, "idea", idea_id, reason)
        uow.commit()


def flagged(ctx: AppContext, actor: User | None, limit: int = 50) -> list[FlaggedItem]:
    require(can_moderate, actor)
    with ctx.uow(write=False) as uow:
        return uow.moderation.flagged(limit)


def set_visibility(ctx: AppContext, actor: User | None, target_type: str, target_id: int, hidden: bool,
                   reason: str = "", *, system_reason: str | None = None) -> None:
    """Hide or restore an idea or comment; either way its open flags are resolved. Restoring what was
    flagged is "keep it, dismiss the flags", and the log says so. A `system_reason` (a key of
    audit.SYSTEM_REASONS) is logged as its key, so the log reads in each moderator's language."""
    moderator = require(can_moderate, actor)
    said = audit.system_reason(system_reason) if system_reason is not None else {}
    reason = _reason(reason or said.get("reason", ""), required=hidden)
    with ctx.uow() as uow:
        if target_type == "idea":
            found(uow.idea_repo.get(target_id))
            uow.idea_repo.set_hidden(target_id, hidden)
        elif target_type == "comment":
            if uow.idea_repo.comment(target_id) is None:
                raise NotFound()
            uow.idea_repo.set_comment_hidden(target_id, hidden)
        else:
            raise InvalidInput("error.flag_target")
        resolved = uow.idea_repo.resolve_flags(target_type, target_id, ctx.now())
        audit.record(ctx, uow, moderator, "hide" if hidden else "dismiss_flags" if resolved else "restore",
                     target_type, target_id, reason, flags_resolved=resolved,
                     **{k: v for k, v in said.items() if k != "reason"})
        uow.commit()


def set_suspended(ctx: AppContext, actor: User | None, user_id: int, suspended: bool, reason: str = "") -> None:
    """Suspended accounts can read but not write."""
    moderator = require(can_moderate, actor)
    reason = _reason(reason, required=suspended)
    if user_id == moderator.id:
        raise InvalidInput("error.cannot_suspend_self")
    with ctx.uow() as uow:
        user = found(uow.users.get(user_id))
        user.status = AccountStatus.SUSPENDED if suspended else AccountStatus.ACTIVE
        uow.users.save(user)
        audit.record(ctx, uow, moderator, "suspend" if suspended else "unsuspend", "user", user_id, reason)
        uow.commit()


def find_accounts(ctx: AppContext, actor: User | None, query: str, limit: int = 20) -> list[User]:
    """Accounts by e-mail or name, for moderators deciding on a suspension."""
    require(can_moderate, actor)
    query = search_query(query, 100).lower()
    if not query:
        return []
    with ctx.uow(write=False) as uow:
        return uow.users.search(query, limit, 0)


def merge(ctx: AppContext, actor: User | None, duplicate_id: int, original_id: int, reason: str = "") -> int:
    """Merge a duplicate into its original: supporters carry over, each counted once."""
    moderator = require(can_moderate, actor)
    reason = _reason(reason, required=False)
    if duplicate_id == original_id:
        raise InvalidInput("error.merge_same")
    now = ctx.now()
    with ctx.uow() as uow:
        duplicate, original = found(uow.idea_repo.get(duplicate_id)), found(uow.idea_repo.get(original_id))
        if duplicate.merged_into_id is not None:
            raise InvalidInput("error.already_merged")
        if original.status not in (IdeaStatus.PUBLISHED, IdeaStatus.WINNING):
            raise InvalidInput("error.merge_target_closed")
        moved = uow.idea_repo.merge_supporters(duplicate_id, original_id, now)
        uow.idea_repo.mark_merged(duplicate_id, original_id, now)
        won = uow.idea_repo.mark_winning_if_reached(original_id, now)
        for follower in uow.idea_repo.followers(original_id) if won else []:
            notify(ctx, uow, follower, "idea_winning", link=idea_link(original_id), title=original.title)
        notify(ctx, uow, duplicate.author_id, "idea_merged", link=idea_link(original_id),
               title=duplicate.title, original=original.title)
        audit.record(ctx, uow, moderator, "merge", "idea", duplicate_id, reason,
                     into=original_id, supporters_moved=moved)
        uow.commit()
    return moved


def audit_log(ctx: AppContext, actor: User | None, limit: int = 100, offset: int = 0,
              target_type: str | None = None, target_id: int | None = None) -> list[AuditEntry]:
    require(can_read_audit, actor)
    with ctx.uow(write=False) as uow:
        return uow.moderation.audit(limit, offset, target_type, target_id)


def reason_templates(ctx: AppContext, actor: User | None) -> list[tuple[int, str, str]]:
    require(can_moderate, actor)
    with ctx.uow(write=False) as uow:
        return uow.moderation.templates()


def save_reason_template(ctx: AppContext, actor: User | None, title: str, body: str,
                         template_id: int | None = None) -> int:
    """Add a reason template, or change one; a title another template has is ReasonTemplateExists."""
    moderator = require(can_moderate, actor)
    title = one_line(title, 80, required="error.template_title", too_long="error.template_title")
    body = _reason(body)
    with ctx.uow() as uow:
        # Titles are unique (so moderators can tell templates apart): say so before the database does,
        # and ignoring case; the repository turns a concurrent duplicate into the same error.
        if any(other_id != template_id and other.casefold() == title.casefold()
               for other_id, other, _body in uow.moderation.templates()):
            raise ReasonTemplateExists()
        saved = uow.moderation.save_template(template_id, title, body)
        audit.record(ctx, uow, moderator, "save_template", "template", saved, title)
        uow.commit()
    return saved
