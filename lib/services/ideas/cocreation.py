"""Comments with one level of replies, improvement suggestions, co-creators, flags."""

from __future__ import annotations

from lib.domain.accounts import User
from lib.domain.errors import InvalidInput, NotFound, found
from lib.domain.ideas import COMMENT_MAX
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
from lib.services.messaging.notifications import notify
from lib.services.routes import idea_link

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


def flag(ctx: AppContext, actor: User | None, target_type: str, target_id: int, reason: str = "") -> bool:
    """Flag an idea or comment; three accounts' flags hide it until a moderator looks.
    Returns True when this flag hid it."""
    user = require(can_flag, actor)
    if target_type not in FLAG_TARGETS:
        raise InvalidInput("error.flag_target")
    reason = one_line(reason, FLAG_REASON_MAX, too_long="error.reason_too_long")
    with ctx.uow() as uow:
        if target_type == "idea":
            idea = uow.idea_repo.get(target_id)
            exists, hidden = idea is not None, bool(idea and idea.hidden)
        else:
            comment = uow.idea_repo.comment(target_id)
            exists, hidden = comment is not None, bool(comment and comment.hidden)
        if not exists:
            raise NotFound()
        count = uow.idea_repo.add_flag(target_type, target_id, user.id, reason, ctx.now())
        hides = count >= FLAGS_TO_HIDE and not hidden
        if hides:
            if target_type == "idea":
                uow.idea_repo.set_hidden(target_id, True)
            else:
                uow.idea_repo.set_comment_hidden(target_id, True)
        uow.commit()
    return hides
