"""Permissions as named predicates over an actor (adhocracy4 rules style).

Services call `require(predicate, actor)`; pages only use the predicates to
decide what to show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lib.domain.accounts import Role, User
from lib.domain.errors import AccountSuspended, NotSignedIn, PermissionDenied


@dataclass(frozen=True)
class Predicate:
    name: str
    test: Callable[[User | None], bool]

    def __call__(self, actor: User | None) -> bool:
        return self.test(actor)

    def __or__(self, other: Predicate) -> Predicate:
        return Predicate(f"({self.name} | {other.name})", lambda a: self(a) or other(a))

    def __and__(self, other: Predicate) -> Predicate:
        return Predicate(f"({self.name} & {other.name})", lambda a: self(a) and other(a))


def _role(role: Role) -> Predicate:
    return Predicate(f"is_{role.value}", lambda a: a is not None and a.has(role))


is_signed_in = Predicate("is_signed_in", lambda a: a is not None)
is_active = Predicate("is_active", lambda a: a is not None and not a.is_suspended)
is_consumer = _role(Role.CONSUMER)
is_maker = _role(Role.MAKER)
is_moderator = _role(Role.MODERATOR)
is_admin = _role(Role.ADMIN)
is_staff = is_moderator | is_admin

# Named actions. Writing anything needs an active (not suspended) account.
can_write = is_signed_in & is_active
can_read_outbox = is_admin
can_manage_roles = is_admin
can_list_users = is_admin


def require(predicate: Predicate, actor: User | None) -> User:
    """Return the actor if allowed, else raise the most helpful named error."""
    if actor is None:
        raise NotSignedIn()
    if predicate(actor):
        return actor
    if actor.is_suspended:
        raise AccountSuspended()
    raise PermissionDenied(action=predicate.name)
