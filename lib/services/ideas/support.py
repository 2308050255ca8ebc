"""Supporting, following and viewing ideas; the winning moment happens here, exactly once."""

from __future__ import annotations

from lib.domain.accounts import User
from lib.domain.errors import InvalidInput, NotFound, found
from lib.domain.ideas import IdeaNotOpenForSupport, IdeaStatus
from lib.domain.limits import check_amount, check_count
from lib.domain.permissions import can_follow, can_support, can_write, is_author, require
from lib.services.context import AppContext
from lib.services.ideas.ports import SupportState
from lib.services.messaging.notifications import notify
from lib.services.routes import idea_link

MAX_INTENT_QUANTITY = 1000


def _check_intent(quantity: int | None, max_price: int | None) -> None:
    """A buying intent: how many, at most what price (both or neither)."""
    if quantity is not None:
        check_count(quantity, 1, MAX_INTENT_QUANTITY, "error.intent_quantity", max=MAX_INTENT_QUANTITY)
    if max_price is not None:
        check_amount(max_price, "error.price_not_positive")
    if (quantity is None) != (max_price is None):
        raise InvalidInput("error.intent_incomplete")


def support_idea(ctx: AppContext, actor: User | None, idea_id: int, *, quantity: int | None = None,
                 max_price: int | None = None) -> bool:
    """Support once (and follow). Returns True when this support made the idea win."""
    _check_intent(quantity, max_price)
    now = ctx.now()
    with ctx.uow() as uow:
        idea = uow.idea_repo.get(idea_id)
        if idea is None or idea.hidden:
            raise NotFound()
        require(can_write, actor)
        if is_author(actor, idea):
            raise InvalidInput("error.own_support")
        if idea.status is not IdeaStatus.PUBLISHED or (idea.support_deadline and idea.support_deadline <= now):
            raise IdeaNotOpenForSupport(status=idea.status.value)
        user = require(can_support, actor, idea)
        outcome = uow.idea_repo.add_support(idea_id, user.id, quantity, max_price, now)
        if outcome == "duplicate":
            raise InvalidInput("error.already_supported")
        if outcome == "closed":  # it won (or closed) while we were on our way: nothing is kept
            raise IdeaNotOpenForSupport(status="closed")
        uow.idea_repo.follow(idea_id, user.id, now)
        won = uow.idea_repo.mark_winning_if_reached(idea_id, now)
        if won:
            for follower in uow.idea_repo.followers(idea_id):
                notify(ctx, uow, follower, "idea_winning", link=idea_link(idea_id), title=idea.title)
        uow.commit()
    return won


def withdraw_support(ctx: AppContext, actor: User | None, idea_id: int) -> None:
    """Take a support back while the idea is still open for support."""
    with ctx.uow() as uow:
        idea = found(uow.idea_repo.get(idea_id))
        user = require(can_follow, actor)
        if idea.status is not IdeaStatus.PUBLISHED:
            raise IdeaNotOpenForSupport(status=idea.status.value)
        if not uow.idea_repo.remove_support(idea_id, user.id):
            raise InvalidInput("error.not_supported")
        uow.commit()


def set_following(ctx: AppContext, actor: User | None, idea_id: int, follow: bool) -> None:
    user = require(can_follow, actor)
    with ctx.uow() as uow:
        if uow.idea_repo.get(idea_id) is None:
            raise NotFound()
        if follow:
            uow.idea_repo.follow(idea_id, user.id, ctx.now())
        else:
            uow.idea_repo.unfollow(idea_id, user.id)
        uow.commit()


def support_state(ctx: AppContext, actor: User | None, idea_id: int) -> SupportState:
    """The idea's supporter count now, and whether this person supports and follows it."""
    with ctx.uow(write=False) as uow:
        count = found(uow.idea_repo.support_count(idea_id))
        if actor is None:
            return SupportState(count, supported=False, following=False)
        return SupportState(count, supported=uow.idea_repo.has_supported(idea_id, actor.id),
                            following=uow.idea_repo.is_following(idea_id, actor.id))


def record_view(ctx: AppContext, idea_id: int, viewer_key: str, actor: User | None) -> bool:
    """Count one view per browser session per idea (for the insight funnel)."""
    with ctx.uow() as uow:
        added = uow.idea_repo.record_view(idea_id, viewer_key, actor.id if actor else None, ctx.now())
        uow.commit()
    return added
