"""The in-app inbox: events land here; each account reads and clears its own."""

from __future__ import annotations

from typing import Any

from lib.domain.accounts import User
from lib.domain.money import Money
from lib.domain.permissions import is_signed_in, require
from lib.services.context import AppContext
from lib.services.messaging.ports import Notification
from lib.services.uow import AbstractUnitOfWork


def money_param(amount: Money) -> dict[str, int | str]:
    """An amount in a notice's parameters (stored as JSON): the inbox formats it for its reader."""
    return {"minor": amount.amount, "currency": amount.currency}


def notify(ctx: AppContext, uow: AbstractUnitOfWork, user_id: int, kind: str,
           link: str | None = None, **params: Any) -> int:
    """Post one event to a user's inbox inside the caller's transaction."""
    return uow.notifications.add(user_id, kind, params, link, ctx.now())


def inbox(ctx: AppContext, actor: User | None, limit: int = 50, offset: int = 0) -> list[Notification]:
    user = require(is_signed_in, actor)
    with ctx.uow(write=False) as uow:
        return uow.notifications.for_user(user.id, limit, offset)


def unread_count(ctx: AppContext, actor: User | None) -> int:
    if actor is None:
        return 0
    with ctx.uow(write=False) as uow:
        return uow.notifications.unread_count(actor.id)


def mark_read(ctx: AppContext, actor: User | None, ids: list[int] | None = None) -> int:
    """Mark the given notifications (or all, when ids is None) as read."""
    user = require(is_signed_in, actor)
    with ctx.uow() as uow:
        changed = uow.notifications.mark_read(user.id, ids, ctx.now())
        uow.commit()
    return changed
