"""The audit log: every staff action that changes another person's rights, money or content (roles,
suspensions, maker decisions, campaigns opened, fee rates and settings, payouts, refunds by an admin,
hiding, merging, e-mail sent again) writes one row, inside the transaction of the change itself, so
there is never a change without its row nor a row without its change. The table is append-only."""

from __future__ import annotations

from typing import Any

from lib.domain.accounts import User
from lib.domain.errors import InvalidInput
from lib.i18n import translate
from lib.services.context import AppContext
from lib.services.uow import AbstractUnitOfWork


def record(ctx: AppContext, uow: AbstractUnitOfWork, actor: User, action: str, target_type: str, target_id: int,
           reason: str = "", **details: Any) -> None:
    """Write one audit row in the caller's (still uncommitted) transaction."""
    uow.moderation.add_audit(actor.id, action, target_type, target_id, reason, details, ctx.now())


# Reasons the app itself gives (not typed by a moderator): logged as a key, shown in the reader's language.
SYSTEM_REASONS = frozenset({"mod.upheld_flags"})


def system_reason(key: str) -> dict[str, str]:
    """The audit fields of a system reason: its key (rendered per language) and its English text (the
    reason column, for whoever reads the table itself)."""
    if key not in SYSTEM_REASONS:
        raise InvalidInput("error.reason_required")
    return {"reason": translate("en", key), "reason_key": key}
