"""SQL repositories for accounts, their sign-in sessions and e-mail tokens."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, delete, func, insert, or_, select, update
from sqlalchemy.engine import Connection, RowMapping

from lib.adapters.db.schema import core as t
from lib.adapters.db.sql import dialect_insert, insert_ignore, like_escape
from lib.domain.accounts import AccountStatus, AuthSession, EmailToken, Role, TokenPurpose, User, name_key
from lib.domain.errors import EmailAlreadyRegistered


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
                roles=roles[r["id"]], status=AccountStatus(r["status"]), locale=r["locale"], time_zone=r["time_zone"],
                email_verified_at=r["email_verified_at"],
                failed_sign_ins=r["failed_sign_ins"], first_failed_at=r["first_failed_at"],
                locked_until=r["locked_until"], created_at=r["created_at"],
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
            status=user.status.value, locale=user.locale, time_zone=user.time_zone,
            email_verified_at=user.email_verified_at, failed_sign_ins=user.failed_sign_ins,
            first_failed_at=user.first_failed_at, locked_until=user.locked_until,
        ))

    def set_roles(self, user_id: int, roles: Iterable[Role]) -> None:
        self.conn.execute(delete(t.user_roles).where(t.user_roles.c.user_id == user_id))
        values = [{"user_id": user_id, "role": r.value} for r in sorted(set(roles), key=str)]
        if values:
            self.conn.execute(insert(t.user_roles), values)

    def referral_code_taken(self, code: str) -> bool:
        found = self.conn.execute(select(t.users.c.id).where(t.users.c.referral_code == code))
        return found.first() is not None

    def display_name_taken(self, key: str, except_user_id: int | None) -> bool:
        # The key folds look-alikes, spaces and punctuation, which SQL cannot reproduce on both
        # databases alike (and a stored key column would need a migration): the names are
        # streamed and compared here, a batch at a time, stopping at the first match.
        stmt = select(t.users.c.display_name).execution_options(yield_per=1000)
        if except_user_id is not None:
            stmt = stmt.where(t.users.c.id != except_user_id)
        result = self.conn.execute(stmt)
        try:
            return any(name_key(name) == key for name in result.scalars())
        finally:
            result.close()

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
        id=r["id"], user_id=r["user_id"], created_at=r["created_at"],
        expires_at=r["expires_at"], token_hash=r["token_hash"],
        handoff_hash=r["handoff_hash"], handoff_expires_at=r["handoff_expires_at"],
        revoked_at=r["revoked_at"], last_seen_at=r["last_seen_at"],
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

    def touch(self, session_id: int, now: datetime) -> None:
        s = t.auth_sessions.c
        self.conn.execute(update(t.auth_sessions).where(s.id == session_id, s.revoked_at.is_(None))
                          .values(last_seen_at=now))

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
                          token_hash=r["token_hash"], expires_at=r["expires_at"],
                          used_at=r["used_at"])

    def use(self, token_id: int, now: datetime) -> bool:
        c = t.email_tokens.c
        return self.conn.execute(update(t.email_tokens).where(c.id == token_id, c.used_at.is_(None))
                                 .values(used_at=now)).rowcount == 1

    def expire_all(self, user_id: int, purpose: TokenPurpose, now: datetime) -> None:
        c = t.email_tokens.c
        self.conn.execute(update(t.email_tokens).where(
            c.user_id == user_id, c.purpose == purpose.value, c.used_at.is_(None),
        ).values(used_at=now))


class SqlThrottleRepository:
    """Fixed-window counters: one conditional update decides, so concurrent requests for the same
    key are counted one by one (the row lock on PostgreSQL, BEGIN IMMEDIATE on SQLite)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def hit(self, key: str, now: datetime, window: timedelta, limit: int) -> bool:
        """Count one request under `key`; False (and nothing counted) when `limit` is reached."""
        c = t.request_throttles.c
        insert_ignore(self.conn, t.request_throttles, {"key": key, "window_start": now, "count": 0})
        expired = c.window_start <= now - window
        changed = self.conn.execute(update(t.request_throttles).where(
            c.key == key, or_(expired, c.count < limit),
        ).values(count=case((expired, 1), else_=c.count + 1),
                 window_start=case((expired, now), else_=c.window_start))).rowcount
        return changed == 1

    def purge(self, older_than: datetime) -> int:
        c = t.request_throttles.c
        return int(self.conn.execute(delete(t.request_throttles).where(c.window_start < older_than)).rowcount)
