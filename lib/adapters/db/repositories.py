"""SQL repositories for accounts, sessions, e-mail, notifications, settings and locks."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.engine import Connection, RowMapping

from lib.adapters.db import tables as t
from lib.adapters.db.sql import dialect_insert, insert_ignore, like_escape
from lib.domain.accounts import AccountStatus, AuthSession, EmailToken, Role, TokenPurpose, User
from lib.domain.errors import EmailAlreadyRegistered
from lib.services.ports import Notification, OutboxMessage


def aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


class SqlUserRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def _roles(self, user_ids: list[int]) -> dict[int, set[Role]]:
        found: dict[int, set[Role]] = {uid: set() for uid in user_ids}
        if user_ids:
            rows = self.conn.execute(select(t.user_roles).where(t.user_roles.c.user_id.in_(user_ids)))
            for row in rows:
                found[row.user_id].add(Role(row.role))
        return found

    def _users(self, rows: Sequence[RowMapping]) -> list[User]:
        roles = self._roles([r["id"] for r in rows])
        return [
            User(
                id=r["id"], email=r["email"], display_name=r["display_name"],
                password_hash=r["password_hash"], referral_code=r["referral_code"],
                roles=roles[r["id"]], status=AccountStatus(r["status"]), locale=r["locale"],
                email_verified_at=aware(r["email_verified_at"]),
                failed_sign_ins=r["failed_sign_ins"], first_failed_at=aware(r["first_failed_at"]),
                locked_until=aware(r["locked_until"]), created_at=aware(r["created_at"]),
            )
            for r in rows
        ]

    def _one(self, *where: Any) -> User | None:
        stmt = select(t.users).where(*where)
        if self.conn.get_execution_options().get("write", True):
            # A write unit of work reads an account to change it (sign-in throttling, status,
            # roles): lock the row so concurrent writers on PostgreSQL cannot lose an update.
            # SQLite's BEGIN IMMEDIATE already serialises writers; FOR UPDATE compiles to nothing there.
            stmt = stmt.with_for_update()
        rows = self.conn.execute(stmt).mappings().all()
        users = self._users(rows)
        return users[0] if users else None

    def add(self, user: User) -> User:
        # ON CONFLICT (email) DO NOTHING: a sign-up racing another for the same address gets the
        # domain error, not a database exception (the unique constraint decides on both databases).
        new_id = self.conn.execute(dialect_insert(self.conn, t.users).values(
            email=user.email, display_name=user.display_name, password_hash=user.password_hash,
            referral_code=user.referral_code, status=user.status.value, locale=user.locale,
            email_verified_at=user.email_verified_at, created_at=user.created_at,
        ).on_conflict_do_nothing(index_elements=[t.users.c.email]).returning(t.users.c.id)).scalar_one_or_none()
        if new_id is None:
            raise EmailAlreadyRegistered()
        user.id = int(new_id)
        self.set_roles(user.id, user.roles)
        return user

    def get(self, user_id: int) -> User | None:
        return self._one(t.users.c.id == user_id)

    def get_by_email(self, email: str) -> User | None:
        return self._one(t.users.c.email == email)

    def save(self, user: User) -> None:
        self.conn.execute(update(t.users).where(t.users.c.id == user.id).values(
            display_name=user.display_name, password_hash=user.password_hash,
            status=user.status.value, locale=user.locale, email_verified_at=user.email_verified_at,
            failed_sign_ins=user.failed_sign_ins, first_failed_at=user.first_failed_at,
            locked_until=user.locked_until,
        ))

    def set_roles(self, user_id: int, roles: Iterable[Role]) -> None:
        self.conn.execute(delete(t.user_roles).where(t.user_roles.c.user_id == user_id))
        values = [{"user_id": user_id, "role": r.value} for r in sorted(set(roles), key=str)]
        if values:
            self.conn.execute(insert(t.user_roles), values)

    def referral_code_taken(self, code: str) -> bool:
        found = self.conn.execute(select(t.users.c.id).where(t.users.c.referral_code == code))
        return found.first() is not None

    def search(self, query: str, limit: int, offset: int) -> list[User]:
        stmt = select(t.users).order_by(t.users.c.id).limit(limit).offset(offset)
        if query:
            like = f"%{like_escape(query)}%"
            stmt = stmt.where(or_(t.users.c.email.like(like, escape="\\"),
                                  func.lower(t.users.c.display_name).like(like, escape="\\")))
        return self._users(self.conn.execute(stmt).mappings().all())

    def count(self) -> int:
        return int(self.conn.execute(select(func.count()).select_from(t.users)).scalar_one())


def _session(r: RowMapping) -> AuthSession:
    return AuthSession(
        id=r["id"], user_id=r["user_id"], created_at=aware(r["created_at"]),  # type: ignore[arg-type]
        expires_at=aware(r["expires_at"]), token_hash=r["token_hash"],  # type: ignore[arg-type]
        handoff_hash=r["handoff_hash"], handoff_expires_at=aware(r["handoff_expires_at"]),
        revoked_at=aware(r["revoked_at"]),
    )


class SqlSessionRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, session: AuthSession) -> AuthSession:
        session.id = self.conn.execute(insert(t.auth_sessions).values(
            user_id=session.user_id, token_hash=session.token_hash,
            handoff_hash=session.handoff_hash, handoff_expires_at=session.handoff_expires_at,
            created_at=session.created_at, expires_at=session.expires_at,
        ).returning(t.auth_sessions.c.id)).scalar_one()
        return session

    def _one(self, *where: Any) -> AuthSession | None:
        row = self.conn.execute(select(t.auth_sessions).where(*where)).mappings().first()
        return _session(row) if row else None

    def get(self, session_id: int) -> AuthSession | None:
        return self._one(t.auth_sessions.c.id == session_id)

    def get_by_token_hash(self, token_hash: str) -> AuthSession | None:
        return self._one(t.auth_sessions.c.token_hash == token_hash)

    def claim_handoff(self, handoff_hash: str, token_hash: str, now: datetime) -> AuthSession | None:
        s = t.auth_sessions.c
        # A conditional update: of two racing claims, only one changes a row.
        changed = self.conn.execute(update(t.auth_sessions).where(
            s.handoff_hash == handoff_hash, s.handoff_expires_at > now, s.revoked_at.is_(None),
        ).values(handoff_hash=None, handoff_expires_at=None, token_hash=token_hash)).rowcount
        return self.get_by_token_hash(token_hash) if changed == 1 else None

    def revoke(self, session_id: int, now: datetime) -> None:
        s = t.auth_sessions.c
        self.conn.execute(update(t.auth_sessions).where(s.id == session_id, s.revoked_at.is_(None))
                          .values(revoked_at=now))

    def revoke_all(self, user_id: int, now: datetime) -> int:
        s = t.auth_sessions.c
        return int(self.conn.execute(update(t.auth_sessions).where(
            s.user_id == user_id, s.revoked_at.is_(None), s.expires_at > now,
        ).values(revoked_at=now)).rowcount)

    def purge_expired(self, now: datetime) -> int:
        s = t.auth_sessions.c
        stale_handoff = and_(s.token_hash.is_(None), s.handoff_expires_at < now)
        return int(self.conn.execute(delete(t.auth_sessions).where(
            or_(s.expires_at < now, s.revoked_at.is_not(None), stale_handoff))).rowcount)


class SqlEmailTokenRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, token: EmailToken) -> EmailToken:
        token.id = self.conn.execute(insert(t.email_tokens).values(
            user_id=token.user_id, purpose=token.purpose.value, token_hash=token.token_hash,
            expires_at=token.expires_at,
        ).returning(t.email_tokens.c.id)).scalar_one()
        return token

    def get_by_hash(self, token_hash: str) -> EmailToken | None:
        r = self.conn.execute(select(t.email_tokens).where(t.email_tokens.c.token_hash == token_hash)
                              ).mappings().first()
        if r is None:
            return None
        return EmailToken(id=r["id"], user_id=r["user_id"], purpose=TokenPurpose(r["purpose"]),
                          token_hash=r["token_hash"], expires_at=aware(r["expires_at"]),  # type: ignore[arg-type]
                          used_at=aware(r["used_at"]))

    def use(self, token_id: int, now: datetime) -> bool:
        c = t.email_tokens.c
        return self.conn.execute(update(t.email_tokens).where(c.id == token_id, c.used_at.is_(None))
                                 .values(used_at=now)).rowcount == 1

    def expire_all(self, user_id: int, purpose: TokenPurpose, now: datetime) -> None:
        c = t.email_tokens.c
        self.conn.execute(update(t.email_tokens).where(
            c.user_id == user_id, c.purpose == purpose.value, c.used_at.is_(None),
        ).values(used_at=now))


def _message(r: RowMapping) -> OutboxMessage:
    return OutboxMessage(id=r["id"], to_address=r["to_address"], subject=r["subject"], body=r["body"],
                         created_at=aware(r["created_at"]), sent_at=aware(r["sent_at"]),  # type: ignore[arg-type]
                         attempts=r["attempts"], last_error=r["last_error"])


class SqlOutboxRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, to_address: str, subject: str, body: str, now: datetime) -> int:
        return int(self.conn.execute(insert(t.outbox).values(
            to_address=to_address, subject=subject, body=body, created_at=now,
        ).returning(t.outbox.c.id)).scalar_one())

    def recent(self, limit: int, offset: int) -> list[OutboxMessage]:
        stmt = select(t.outbox).order_by(t.outbox.c.id.desc()).limit(limit).offset(offset)
        return [_message(r) for r in self.conn.execute(stmt).mappings()]

    def unsent(self, limit: int) -> list[OutboxMessage]:
        stmt = select(t.outbox).where(t.outbox.c.sent_at.is_(None)).order_by(t.outbox.c.id).limit(limit)
        return [_message(r) for r in self.conn.execute(stmt).mappings()]

    def mark_sent(self, message_id: int, now: datetime) -> None:
        self.conn.execute(update(t.outbox).where(t.outbox.c.id == message_id).values(
            sent_at=now, attempts=t.outbox.c.attempts + 1, last_error=None))

    def mark_failed(self, message_id: int, error: str) -> None:
        self.conn.execute(update(t.outbox).where(t.outbox.c.id == message_id).values(
            attempts=t.outbox.c.attempts + 1, last_error=error))


class SqlNotificationRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, user_id: int, kind: str, params: dict[str, Any], link: str | None, now: datetime) -> int:
        return int(self.conn.execute(insert(t.notifications).values(
            user_id=user_id, kind=kind, params=json.dumps(params, ensure_ascii=False), link=link,
            created_at=now,
        ).returning(t.notifications.c.id)).scalar_one())

    def for_user(self, user_id: int, limit: int, offset: int) -> list[Notification]:
        n = t.notifications.c
        stmt = (select(t.notifications).where(n.user_id == user_id)
                .order_by(n.id.desc()).limit(limit).offset(offset))
        return [Notification(id=r["id"], user_id=r["user_id"], kind=r["kind"],
                             params=json.loads(r["params"]), link=r["link"],
                             created_at=aware(r["created_at"]), read_at=aware(r["read_at"]))  # type: ignore[arg-type]
                for r in self.conn.execute(stmt).mappings()]

    def unread_count(self, user_id: int) -> int:
        n = t.notifications.c
        stmt = select(func.count()).where(n.user_id == user_id, n.read_at.is_(None))
        return int(self.conn.execute(stmt).scalar_one())

    def mark_read(self, user_id: int, ids: Sequence[int] | None, now: datetime) -> int:
        n = t.notifications.c
        stmt = update(t.notifications).where(n.user_id == user_id, n.read_at.is_(None))
        if ids is not None:
            stmt = stmt.where(n.id.in_(list(ids)))
        return int(self.conn.execute(stmt.values(read_at=now)).rowcount)


class SqlSettingsRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, key: str) -> str | None:
        return self.conn.execute(select(t.settings.c.value).where(t.settings.c.key == key)).scalar()

    def put_if_absent(self, key: str, value: str) -> bool:
        return insert_ignore(self.conn, t.settings, {"key": key, "value": value}) == 1

    def put(self, key: str, value: str) -> None:
        # Insert-or-nothing first, then update: two racing first writes cannot lose a value.
        if not insert_ignore(self.conn, t.settings, {"key": key, "value": value}):
            self.conn.execute(update(t.settings).where(t.settings.c.key == key).values(value=value))


class SqlJobLockRepository:
    """A lock row rather than an advisory lock: it works through Supabase's pooler too."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def acquire(self, name: str, holder: str, now: datetime, until: datetime) -> bool:
        j = t.job_locks.c
        insert_ignore(self.conn, t.job_locks, {"name": name})
        free = or_(j.locked_until.is_(None), j.locked_until < now, j.holder == holder)
        return self.conn.execute(update(t.job_locks).where(j.name == name, free)
                                 .values(holder=holder, locked_until=until)).rowcount == 1

    def release(self, name: str, holder: str, now: datetime) -> None:
        j = t.job_locks.c
        self.conn.execute(update(t.job_locks).where(j.name == name, j.holder == holder)
                          .values(holder=None, locked_until=None, last_run_at=now))
