"""Comments with one level of replies, improvement suggestions, co-creators, flags."""

from __future__ import annotations

from lib.domain.accounts import User
from lib.domain.errors import InvalidInput, NotFound, found
from lib.domain.ideas import COMMENT_MAX, FlagNotOpen, FlagReason
from lib.domain.limits import parse_enum
from lib.domain.permissions import (
    can_comment,
    can_decide_suggestion,
    can_flag,
    can_suggest,
    can_write,
    is_author,
    require,
)
from lib.domain.text import multi_line, one_line
from lib.services.context import AppContext
from lib.services.ideas.ports import CommentRecord, IdeaRecord
from lib.services.messaging.notifications import notify
from lib.services.routes import idea_link
from lib.services.uow import AbstractUnitOfWork

FLAGS_TO_HIDE = 3
FLAG_REASON_MAX = 500
FLAG_TARGETS = ("idea", "comment")


def _body(text: str, empty_key: str) -> str:
    return multi_line(text, COMMENT_MAX, required=empty_key, too_long="error.comment_too_long")


def add_comment(ctx: AppContext, actor: User | None, idea_id: int, body_md: str,
                parent_id: int | None = None) -> int:
    """Comment (Markdown), or reply to a top-level comment; the author hears about it."""
    body = _body(body_md, "error.comment_required")
    with ctx.uow() as uow:
        idea = uow.idea_repo.get(idea_id)
        if idea is None or idea.hidden:
            raise NotFound()
        user = require(can_comment, actor, idea)
        if parent_id is not None:
            parent = uow.idea_repo.comment(parent_id)
            if parent is None or parent.idea_id != idea_id:
                raise NotFound()
            if parent.parent_id is not None:
                raise InvalidInput("error.reply_depth")
        comment_id = uow.idea_repo.add_comment(idea_id, user.id, body, parent_id, ctx.now())
        if not is_author(user, idea):
            notify(ctx, uow, idea.author_id, "new_comment", link=idea_link(idea_id),
                   title=idea.title, name=user.display_name)
        uow.commit()
    return comment_id


def propose_improvement(ctx: AppContext, actor: User | None, idea_id: int, body_md: str,
                        upload: bytes | None = None) -> int:
    """Suggest an improvement (text, optional image) for the author to accept or decline."""
    require(can_write, actor)  # before the image is stored: a suspended account leaves nothing behind
    body = _body(body_md, "error.suggestion_required")
    image_key = None
    if upload:
        if ctx.process_image is None:
            raise InvalidInput("error.images_unavailable")
        image_key = ctx.process_image(upload).display_key
    with ctx.uow() as uow:
        idea = uow.idea_repo.get(idea_id)
        if idea is None or idea.hidden:
            raise NotFound()
        user = require(can_suggest, actor, idea)
        if user.id == idea.author_id:
            raise InvalidInput("error.own_suggestion")
        suggestion_id = uow.idea_repo.add_suggestion(idea_id, user.id, body, image_key, ctx.now())
        notify(ctx, uow, idea.author_id, "new_suggestion", link=idea_link(idea_id),
               title=idea.title, name=user.display_name)
        uow.commit()
    return suggestion_id


def decide_improvement(ctx: AppContext, actor: User | None, suggestion_id: int, accept: bool) -> None:
    """The author accepts (the proposer becomes a co-creator) or declines, once."""
    now = ctx.now()
    with ctx.uow() as uow:
        suggestion = found(uow.idea_repo.suggestion(suggestion_id))
        idea = found(uow.idea_repo.get(suggestion.idea_id))
        require(can_decide_suggestion, actor, idea)
        if not uow.idea_repo.decide_suggestion(suggestion_id, "accepted" if accept else "declined", now):
            raise InvalidInput("error.suggestion_decided")
        if accept:
            uow.idea_repo.add_co_creator(idea.id, suggestion.proposer_id, suggestion_id, now)
        notify(ctx, uow, suggestion.proposer_id, "suggestion_accepted" if accept else "suggestion_declined",
               link=idea_link(idea.id), title=idea.title)
        uow.commit()


def _flag_target(uow: AbstractUnitOfWork, target_type: str, target_id: int) -> IdeaRecord | CommentRecord:
    """The idea or comment a flag is about (either has its author_id and hidden)."""
    if target_type not in FLAG_TARGETS:
        raise InvalidInput("error.flag_target")
    target: IdeaRecord | CommentRecord | None = (
        uow.idea_repo.get(target_id) if target_type == "idea" else uow.idea_repo.comment(target_id))
    if target is None:
        raise NotFound()
    return target


def _set_hidden(uow: AbstractUnitOfWork, target_type: str, target_id: int, hidden: bool) -> None:
    if target_type == "idea":
        uow.idea_repo.set_hidden(target_id, hidden)
    else:
        uow.idea_repo.set_comment_hidden(target_id, hidden)


def flag(ctx: AppContext, actor: User | None, target_type: str, target_id: int, reason: str = "", *,
         kind: FlagReason | str = FlagReason.OTHER) -> bool:
    """Flag someone else's idea or comment, saying why (a kind, and optional text); three accounts'
    flags hide it until a moderator looks. Returns True when this flag hid it."""
    require(can_write, actor)
    kind = parse_enum(FlagReason, kind, "error.flag_reason")
    reason = one_line(reason, FLAG_REASON_MAX, too_long="error.reason_too_long")
    with ctx.uow() as uow:
        target = _flag_target(uow, target_type, target_id)
        user = require(can_flag, actor, target)
        count = uow.idea_repo.add_flag(target_type, target_id, user.id, kind, reason, ctx.now())
        hides = count >= FLAGS_TO_HIDE and not target.hidden
        if hides:
            _set_hidden(uow, target_type, target_id, True)
        uow.commit()
    return hides


def unflag(ctx: AppContext, actor: User | None, target_type: str, target_id: int) -> None:
    """Take back one's own flag while no moderator has acted on it. When it was one of the flags that
    hid the item, and too few are left to hide it, the item shows again."""
    user = require(can_write, actor)
    with ctx.uow() as uow:
        target = _flag_target(uow, target_type, target_id)
        left = uow.idea_repo.withdraw_flag(target_type, target_id, user.id)
        if left is None:
            raise FlagNotOpen()
        if target.hidden and left == FLAGS_TO_HIDE - 1:  # the flags hid it (a moderator's hide resolves them)
            _set_hidden(uow, target_type, target_id, False)
        uow.commit()


def my_open_flags(ctx: AppContext, actor: User | None, idea_id: int) -> frozenset[tuple[str, int]]:
    """What the signed-in account has flagged on this idea (itself, its comments) and may still take back."""
    if actor is None:
        return frozenset()
    with ctx.uow(write=False) as uow:
        return uow.idea_repo.open_flags_by(actor.id, idea_id)
