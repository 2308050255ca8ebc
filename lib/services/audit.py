"""The audit log: every staff action that changes another person's rights, money or content (roles,
suspensions, maker decisions, campaigns opened, fee rates and settings, payouts, refunds by an admin,
hiding, merging, e-mail sent again) writes one row, inside the transaction of the change itself, so
there is never a change without its row nor a row without its change. The table is append-only."""

from __future__ import annotations

from typing import Any

from lib.domain.accounts import User
from lib.services.context import AppContext
from lib.services.uow import AbstractUnitOfWork


def record(ctx: AppContext, uow: AbstractUnitOfWork, actor: User, action: str, target_type: str, target_id: int,
           reason: str = "", **details: Any) -> None:
    """Write one audit row in the caller's (still uncommitted) transaction."""
    uow.moderation.add_audit(actor.id, action, target_type, target_id, reason, details, ctx.now())
