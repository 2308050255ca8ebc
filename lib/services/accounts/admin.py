"""Staff use cases for accounts: roles, the user list, the e-mail outbox."""

from __future__ import annotations

from lib.domain.accounts import Role, User, normalize_email
from lib.domain.errors import InvalidInput, found
from lib.domain.limits import parse_enum
from lib.domain.permissions import can_list_users, can_manage_roles, can_read_outbox, can_retry_email, require
from lib.domain.text import search_query
from lib.services import audit
from lib.services.accounts import auth
from lib.services.context import AppContext
from lib.services.messaging.mail import MAX_ATTEMPTS
from lib.services.messaging.notifications import notify
from lib.services.messaging.ports import OutboxMessage

MAX_QUERY = 200


def list_users(ctx: AppContext, actor: User | None, query: str = "",
               limit: int = 50, offset: int = 0) -> tuple[list[User], int]:
    require(can_list_users, actor)
    query = search_query(query, MAX_QUERY).lower()
    with ctx.uow(write=False) as uow:
        return uow.users.search(query, limit, offset), uow.users.count()


def set_roles(ctx: AppContext, actor: User | None, user_id: int, roles: set[Role]) -> User:
    """Replace an account's roles; consumer is always kept, the last admin cannot be demoted."""
    admin = require(can_manage_roles, actor)
    roles = {parse_enum(Role, r, "error.role_unknown") for r in roles} | {Role.CONSUMER}
    with ctx.uow() as uow:
        target = found(uow.users.get(user_id))
        if Role.ADMIN in target.roles and Role.ADMIN not in roles and admin.id == target.id:
            raise InvalidInput("error.cannot_demote_self")
        added, removed = roles - target.roles, target.roles - roles
        uow.users.set_roles(user_id, roles)
        for role in sorted(added, key=lambda r: r.value):
            notify(ctx, uow, user_id, "role_granted", role=role.value)
        if added or removed:
            audit.record(ctx, uow, admin, "set_roles", "user", user_id, granted=sorted(r.value for r in added),
                         removed=sorted(r.value for r in removed), roles=sorted(r.value for r in roles))
        uow.commit()
        target.roles = roles
    return target


def outbox(ctx: AppContext, actor: User | None, limit: int = 100, offset: int = 0) -> list[OutboxMessage]:
    require(can_read_outbox, actor)
    with ctx.uow(write=False) as uow:
        return uow.outbox.recent(limit, offset)


def dead_letters(ctx: AppContext, actor: User | None, limit: int = 100) -> list[OutboxMessage]:
    """E-mail that failed MAX_ATTEMPTS times and is no longer tried, newest first."""
    require(can_read_outbox, actor)
    with ctx.uow(write=False) as uow:
        return uow.outbox.dead_letters(MAX_ATTEMPTS, limit)


def retry_email(ctx: AppContext, actor: User | None, message_id: int) -> None:
    """Send a dead letter again: its attempts start over at the next job run (audited)."""
    admin = require(can_retry_email, actor)
    with ctx.uow() as uow:
        if not uow.outbox.retry(message_id, MAX_ATTEMPTS, ctx.now()):
            raise InvalidInput("error.not_dead_letter")
        audit.record(ctx, uow, admin, "retry_email", "email", message_id)
        uow.commit()


def create_admin(ctx: AppContext, *, email: str, display_name: str, password: str) -> User:
    """Operator use case: make a new admin, or promote an existing account."""
    email = normalize_email(email)
    with ctx.uow() as uow:
        existing = uow.users.get_by_email(email)
        if existing is not None:
            uow.users.set_roles(existing.id, existing.roles | {Role.ADMIN, Role.MODERATOR})
            uow.commit()
            existing.roles |= {Role.ADMIN, Role.MODERATOR}
            return existing
    return auth.sign_up(ctx, email=email, display_name=display_name, password=password,
                        roles={Role.CONSUMER, Role.MODERATOR, Role.ADMIN}, verified=True,
                        throttled=False, reserved_name_ok=True)
