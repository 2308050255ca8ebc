"""One-time request keys for the forms that move money (refunds, buying, pre-ordering, payouts).

The page draws a key when it shows the form; the service claims it inside the very transaction of
the effect (a unique row per account and key) and records the effect's id there. A second submission
with the same key — a double click, a retried request, two at once — finds the claim and gets the
first submission's result instead of a second effect: on PostgreSQL the second INSERT waits for the
first transaction and then sees its row; SQLite serialises writers. When the effect is undone (a
refused card, a refund the gateway never made), the claim is forgotten in the same transaction, so
the same key may try once more."""

from __future__ import annotations

import string
from dataclasses import dataclass

from lib.domain.errors import InvalidInput, RequestInProgress
from lib.services.context import AppContext
from lib.services.uow import AbstractUnitOfWork

KEY_MIN, KEY_MAX = 16, 64
_KEY_CHARS = frozenset(string.ascii_letters + string.digits + "-_")


@dataclass(frozen=True)
class Replay:
    """The key was used before: what the first submission made (None when it makes nothing)."""

    result_id: int | None


def check_key(key: str | None) -> str | None:
    """A request key as the page draws it (URL-safe, 16-64 characters), or None for no key."""
    if key is None:
        return None
    if not isinstance(key, str) or not KEY_MIN <= len(key) <= KEY_MAX or not set(key) <= _KEY_CHARS:
        raise InvalidInput("error.request_key_invalid")
    return key


def claim(ctx: AppContext, uow: AbstractUnitOfWork, user_id: int, action: str, key: str | None) -> Replay | None:
    """Inside the effect's transaction: None when this is the first submission with `key` (claimed
    now; the effect follows and `record`s its id), else the first submission's Replay. A key used for
    another action (another order, another payout) is refused."""
    if check_key(key) is None:
        return None
    assert key is not None
    if uow.request_keys.claim(user_id, key, action, ctx.now()):
        return None
    first = uow.request_keys.first(user_id, key)
    if first is None:  # forgotten (its effect undone) between our insert and this read: send it again
        raise RequestInProgress()
    if first[0] != action:
        raise InvalidInput("error.request_key_invalid")
    return Replay(first[1])


def record(uow: AbstractUnitOfWork, user_id: int, key: str | None, result_id: int) -> None:
    """The effect's id, in the transaction that claimed the key."""
    if key is not None:
        uow.request_keys.record(user_id, key, result_id)


def forget(uow: AbstractUnitOfWork, user_id: int, action: str, result_id: int) -> None:
    """The effect was undone: its key may be sent again (inside the transaction that undid it)."""
    uow.request_keys.forget(user_id, action, result_id)
