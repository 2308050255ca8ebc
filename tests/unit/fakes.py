"""In-memory fakes for our own ports: a unit of work with real commit semantics, and friends.

A `FakeStore` is the "database". Each `FakeUnitOfWork` works on a deep copy taken on
enter; `commit()` publishes that copy, leaving the block without commit discards it.
Repositories hand out copies too, so a service that mutates an entity and forgets
`save()` is caught just as it would be against SQL.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from lib.domain.accounts import AuthSession, EmailToken, Role, TokenPurpose, User, name_key
from lib.domain.errors import EmailAlreadyRegistered
from lib.services.commerce.ports import ConsumablePurchase
from lib.services.context import AppContext
from lib.services.messaging.ports import Notification, OutboxMessage
from lib.services.ports import JobRun
from lib.services.uow import AbstractUnitOfWork

START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


class FakeIntegrityError(Exception):
    """What a unique constraint would raise."""


class FakeConflict(Exception):
    """Two units of work committed over each other (the SQL one would serialise or fail)."""


@dataclass
class JobLock:
    holder: str | None = None
    locked_until: datetime | None = None
    last_run_at: datetime | None = None
    heartbeat_at: datetime | None = None


@dataclass
class StoreState:
    users: dict[int, User] = field(default_factory=dict)
    sessions: dict[int, AuthSession] = field(default_factory=dict)
    email_tokens: dict[int, EmailToken] = field(default_factory=dict)
    outbox: dict[int, OutboxMessage] = field(default_factory=dict)
    notifications: dict[int, Notification] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)
    job_locks: dict[str, JobLock] = field(default_factory=dict)
    throttles: dict[str, tuple[datetime, int]] = field(default_factory=dict)
    job_runs: dict[str, JobRun] = field(default_factory=dict)
    audit: list[dict[str, Any]] = field(default_factory=list)
    last_id: int = 0

    def next_id(self) -> int:
        self.last_id += 1
        return self.last_id


class FakeStore:
    """The shared "database": only committed state lives here."""

    def __init__(self) -> None:
        self.state = StoreState()
        self.version = 0
        self.commits = 0

    def snapshot(self) -> StoreState:
        """A copy of the committed state, for assertions."""
        return copy.deepcopy(self.state)

    # Conveniences for tests (read the committed state only).
    def user_by_email(self, email: str) -> User | None:
        return next((copy.deepcopy(u) for u in self.state.users.values() if u.email == email), None)

    def outbox_messages(self) -> list[OutboxMessage]:
        return [self.state.outbox[k] for k in sorted(self.state.outbox)]

    def notifications_for(self, user_id: int) -> list[Notification]:
        return [n for _, n in sorted(self.state.notifications.items()) if n.user_id == user_id]


_TOKEN_IN_LINK = re.compile(r"token=([A-Za-z0-9_\-]+)")


def token_from_outbox(store: FakeStore, to_address: str) -> str:
    """The token in the newest e-mail to this address (as a person would click it)."""
    for message in reversed(store.outbox_messages()):
        if message.to_address == to_address:
            found = _TOKEN_IN_LINK.search(message.body)
            assert found, f"no token link in e-mail body: {message.body!r}"
            return found.group(1)
    raise AssertionError(f"no e-mail to {to_address}")


# ---- Repositories ---------------------------------------------------------------------------


class FakeUserRepository:
    def __init__(self, state: StoreState) -> None:
        self.state = state

    def add(self, user: User) -> User:
        if any(u.email == user.email for u in self.state.users.values()):
            raise EmailAlreadyRegistered()  # as the SQL repository's ON CONFLICT (email) does
        if any(u.referral_code == user.referral_code for u in self.state.users.values()):
            raise FakeIntegrityError(f"users.referral_code {user.referral_code!r} already exists")
        user.id = self.state.next_id()
        self.state.users[user.id] = copy.deepcopy(user)
        return user

    def get(self, user_id: int) -> User | None:
        return copy.deepcopy(self.state.users.get(user_id))

    def get_by_email(self, email: str) -> User | None:
        return next((copy.deepcopy(u) for u in self.state.users.values() if u.email == email), None)

    def save(self, user: User) -> None:
        stored = self.state.users.get(user.id)
        if stored is None:
            return
        # Like the SQL UPDATE: e-mail, referral code and roles are not written by save().
        for name in ("display_name", "password_hash", "status", "locale", "email_verified_at",
                     "failed_sign_ins", "first_failed_at", "locked_until"):
            setattr(stored, name, copy.deepcopy(getattr(user, name)))

    def set_roles(self, user_id: int, roles: Iterable[Role]) -> None:
        if user_id in self.state.users:
            self.state.users[user_id].roles = set(roles)

    def referral_code_taken(self, code: str) -> bool:
        return any(u.referral_code == code for u in self.state.users.values())

    def display_name_taken(self, key: str, except_user_id: int | None) -> bool:
        return any(name_key(u.display_name) == key for u in self.state.users.values() if u.id != except_user_id)

    def search(self, query: str, limit: int, offset: int) -> list[User]:
        found = [u for _, u in sorted(self.state.users.items())
                 if not query or query in u.email.lower() or query in u.display_name.lower()]
        return copy.deepcopy(found[offset:offset + limit])

    def count(self) -> int:
        return len(self.state.users)


class FakeSessionRepository:
    def __init__(self, state: StoreState) -> None:
        self.state = state

    def add(self, session: AuthSession) -> AuthSession:
        session.id = self.state.next_id()
        self.state.sessions[session.id] = copy.deepcopy(session)
        return session

    def get(self, session_id: int) -> AuthSession | None:
        return copy.deepcopy(self.state.sessions.get(session_id))

    def get_by_token_hash(self, token_hash: str) -> AuthSession | None:
        return next((copy.deepcopy(s) for s in self.state.sessions.values() if s.token_hash == token_hash), None)

    def claim_handoff(self, handoff_hash: str, token_hash: str, now: datetime) -> AuthSession | None:
        for s in self.state.sessions.values():
            if (s.handoff_hash == handoff_hash and s.handoff_expires_at is not None
                    and s.handoff_expires_at > now and s.revoked_at is None):
                s.handoff_hash, s.handoff_expires_at, s.token_hash = None, None, token_hash
                return copy.deepcopy(s)
        return None

    def touch(self, session_id: int, now: datetime) -> None:
        s = self.state.sessions.get(session_id)
        if s is not None and s.revoked_at is None:
            s.last_seen_at = now

    def revoke(self, session_id: int, now: datetime) -> None:
        s = self.state.sessions.get(session_id)
        if s is not None and s.revoked_at is None:
            s.revoked_at = now

    def revoke_all(self, user_id: int, now: datetime) -> int:
        count = 0
        for s in self.state.sessions.values():
            if s.user_id == user_id and s.revoked_at is None and s.expires_at > now:
                s.revoked_at = now
                count += 1
        return count

    def purge_expired(self, now: datetime) -> int:
        stale = [sid for sid, s in self.state.sessions.items()
                 if s.expires_at < now or s.revoked_at is not None
                 or (s.token_hash is None and s.handoff_expires_at is not None and s.handoff_expires_at < now)]
        for sid in stale:
            del self.state.sessions[sid]
        return len(stale)


class FakeThrottleRepository:
    def __init__(self, state: StoreState) -> None:
        self.state = state

    def hit(self, key: str, now: datetime, window: timedelta, limit: int) -> bool:
        start, count = self.state.throttles.get(key, (now, 0))
        if start <= now - window:
            start, count = now, 0
        if count >= limit:
            return False
        self.state.throttles[key] = (start, count + 1)
        return True

    def purge(self, older_than: datetime) -> int:
        stale = [k for k, (start, _) in self.state.throttles.items() if start < older_than]
        for k in stale:
            del self.state.throttles[k]
        return len(stale)


class FakeEmailTokenRepository:
    def __init__(self, state: StoreState) -> None:
        self.state = state

    def add(self, token: EmailToken) -> EmailToken:
        if any(t.token_hash == token.token_hash for t in self.state.email_tokens.values()):
            raise FakeIntegrityError("email_tokens.token_hash already exists")
        token.id = self.state.next_id()
        self.state.email_tokens[token.id] = copy.deepcopy(token)
        return token

    def get_by_hash(self, token_hash: str) -> EmailToken | None:
        return next((copy.deepcopy(t) for t in self.state.email_tokens.values() if t.token_hash == token_hash),
                    None)

    def use(self, token_id: int, now: datetime) -> bool:
        token = self.state.email_tokens.get(token_id)
        if token is None or token.used_at is not None:
            return False
        token.used_at = now
        return True

    def expire_all(self, user_id: int, purpose: TokenPurpose, now: datetime) -> None:
        for t in self.state.email_tokens.values():
            if t.user_id == user_id and t.purpose is purpose and t.used_at is None:
                t.used_at = now


class FakeOutboxRepository:
    def __init__(self, state: StoreState) -> None:
        self.state = state

    def add(self, to_address: str, subject: str, body: str, now: datetime) -> int:
        mid = self.state.next_id()
        self.state.outbox[mid] = OutboxMessage(id=mid, to_address=to_address, subject=subject, body=body,
                                               created_at=now, sent_at=None, attempts=0, last_error=None,
                                               next_attempt_at=now)
        return mid

    def recent(self, limit: int, offset: int) -> list[OutboxMessage]:
        newest_first = [self.state.outbox[k] for k in sorted(self.state.outbox, reverse=True)]
        return newest_first[offset:offset + limit]

    def unsent(self, limit: int) -> list[OutboxMessage]:
        return [self.state.outbox[k] for k in sorted(self.state.outbox)
                if self.state.outbox[k].sent_at is None][:limit]

    def mark_sent(self, message_id: int, now: datetime) -> None:
        m = self.state.outbox.get(message_id)
        if m is not None:
            self.state.outbox[message_id] = dataclasses.replace(m, sent_at=now, attempts=m.attempts + 1,
                                                                last_error=None)

    def due(self, now: datetime, max_attempts: int, limit: int) -> list[OutboxMessage]:
        return [m for _, m in sorted(self.state.outbox.items()) if m.sent_at is None and m.attempts < max_attempts
                and m.next_attempt_at is not None and m.next_attempt_at <= now][:limit]

    def dead_letters(self, max_attempts: int, limit: int) -> list[OutboxMessage]:
        return [m for _, m in sorted(self.state.outbox.items(), reverse=True)
                if m.sent_at is None and m.attempts >= max_attempts][:limit]

    def mark_failed(self, message_id: int, error: str, next_attempt_at: datetime) -> None:
        m = self.state.outbox.get(message_id)
        if m is not None:
            self.state.outbox[message_id] = dataclasses.replace(m, attempts=m.attempts + 1, last_error=error,
                                                                next_attempt_at=next_attempt_at)

    def retry(self, message_id: int, max_attempts: int, now: datetime) -> bool:
        m = self.state.outbox.get(message_id)
        if m is None or m.sent_at is not None or m.attempts < max_attempts:
            return False
        self.state.outbox[message_id] = dataclasses.replace(m, attempts=0, next_attempt_at=now)
        return True


class FakeNotificationRepository:
    def __init__(self, state: StoreState) -> None:
        self.state = state

    def add(self, user_id: int, kind: str, params: dict[str, Any], link: str | None, now: datetime) -> int:
        nid = self.state.next_id()
        self.state.notifications[nid] = Notification(id=nid, user_id=user_id, kind=kind, params=dict(params),
                                                     link=link, created_at=now, read_at=None)
        return nid

    def for_user(self, user_id: int, limit: int, offset: int) -> list[Notification]:
        mine = [n for _, n in sorted(self.state.notifications.items(), reverse=True) if n.user_id == user_id]
        return copy.deepcopy(mine[offset:offset + limit])

    def unread_count(self, user_id: int) -> int:
        return sum(1 for n in self.state.notifications.values() if n.user_id == user_id and n.read_at is None)

    def mark_read(self, user_id: int, ids: Sequence[int] | None, now: datetime) -> int:
        changed = 0
        for nid, n in list(self.state.notifications.items()):
            if n.user_id == user_id and n.read_at is None and (ids is None or nid in ids):
                self.state.notifications[nid] = dataclasses.replace(n, read_at=now)
                changed += 1
        return changed


class FakeSettingsRepository:
    def __init__(self, state: StoreState) -> None:
        self.state = state

    def get(self, key: str) -> str | None:
        return self.state.settings.get(key)

    def put(self, key: str, value: str) -> None:
        self.state.settings[key] = value


class FakeJobLockRepository:
    def __init__(self, state: StoreState) -> None:
        self.state = state

    def acquire(self, name: str, holder: str, now: datetime, until: datetime) -> bool:
        lock = self.state.job_locks.setdefault(name, JobLock())
        if lock.locked_until is None or lock.locked_until < now or lock.holder == holder:
            lock.holder, lock.locked_until = holder, until
            return True
        return False

    def extend(self, name: str, holder: str, now: datetime, until: datetime) -> bool:
        lock = self.state.job_locks.get(name)
        if lock is None or lock.holder != holder:
            return False
        lock.locked_until, lock.heartbeat_at = until, now
        return True

    def release(self, name: str, holder: str, now: datetime) -> None:
        lock = self.state.job_locks.get(name)
        if lock is not None and lock.holder == holder:
            lock.holder, lock.locked_until, lock.last_run_at = None, None, now

    def failed_runs(self) -> list[JobRun]:
        return [run for _, run in sorted(self.state.job_runs.items()) if run.failures > 0]

    def record_failure(self, job: str, failures: int, now: datetime, next_run_at: datetime, error: str) -> None:
        self.state.job_runs[job] = JobRun(job, failures, next_run_at, error)

    def record_success(self, job: str) -> None:
        self.state.job_runs.pop(job, None)


class NotFaked:
    """A repository these unit tests do not need: any use fails loudly."""

    def __init__(self, area: str) -> None:
        self._area = area

    def __getattr__(self, name: str) -> Any:
        raise NotImplementedError(f"uow.{self._area}.{name} is not faked; test it against SQL")


class FakeModerationQueries(NotFaked):
    """Only the audit log's writes (read them back from `store.state.audit`)."""

    def __init__(self, state: StoreState) -> None:
        super().__init__("moderation")
        self.state = state

    def add_audit(self, actor_id: int, action: str, target_type: str, target_id: int, reason: str,
                  details: dict[str, Any], now: datetime) -> None:
        self.state.audit.append({"actor_id": actor_id, "action": action, "target_type": target_type,
                                 "target_id": target_id, "reason": reason, "details": dict(details),
                                 "created_at": now})


class FakeIdeaRepository(NotFaked):
    """Only what the due-jobs runner touches: no ideas, so nothing expires or wins."""

    def __init__(self) -> None:
        super().__init__("idea_repo")

    def expire_due(self, now: datetime) -> list[int]:
        return []

    def reached_threshold(self) -> list[int]:
        return []


class FakeOrderRepository(NotFaked):
    """Only what the due-jobs runner touches: no orders, so nothing to sync or confirm."""

    def __init__(self) -> None:
        super().__init__("orders")

    def paid_preorders_without_order(self, limit: int) -> list[int]:
        return []

    def shipped_before(self, cutoff: datetime, limit: int) -> list[Any]:
        return []


class FakeShopRepository(NotFaked):
    """Only what the due-jobs runner touches: no purchases pending, no consumables bought."""

    def __init__(self) -> None:
        super().__init__("shop")

    def stale_pending(self, before: datetime) -> list[Any]:
        return []

    def consumable_purchases(self) -> list[ConsumablePurchase]:
        return []


# ---- Unit of work ---------------------------------------------------------------------------


class FakeUnitOfWork(AbstractUnitOfWork):
    """Copy on enter, publish on commit, discard otherwise."""

    def __init__(self, store: FakeStore, write: bool = True) -> None:
        self.store = store
        self.write = write
        self.committed = False
        self._work: StoreState | None = None

    def __enter__(self) -> FakeUnitOfWork:
        self._begin()
        return self

    def __exit__(self, *exc: object) -> None:
        super().__exit__(*exc)
        self._work = None

    def _begin(self) -> None:
        self._base_version = self.store.version
        work = self._work = copy.deepcopy(self.store.state)
        self.users = FakeUserRepository(work)
        self.sessions = FakeSessionRepository(work)
        self.email_tokens = FakeEmailTokenRepository(work)
        self.throttles = FakeThrottleRepository(work)
        self.outbox = FakeOutboxRepository(work)
        self.notifications = FakeNotificationRepository(work)
        self.settings = FakeSettingsRepository(work)
        self.job_locks = FakeJobLockRepository(work)
        self.request_keys = NotFaked("request_keys")  # type: ignore[assignment]
        self.catalog = NotFaked("catalog")  # type: ignore[assignment]
        self.ideas = NotFaked("ideas")  # type: ignore[assignment]
        self.idea_repo = FakeIdeaRepository()  # type: ignore[assignment]
        self.moderation = FakeModerationQueries(work)  # type: ignore[assignment]
        self.orders = FakeOrderRepository()  # type: ignore[assignment]
        self.shop = FakeShopRepository()  # type: ignore[assignment]
        self.referrals = NotFaked("referrals")  # type: ignore[assignment]
        self.ledger = NotFaked("ledger")  # type: ignore[assignment]

    def commit(self) -> None:
        assert self._work is not None, "unit of work used outside its with-block"
        if self._work == self.store.state:
            self._begin()  # nothing changed: like an empty SQL commit
            return
        if not self.write:
            raise AssertionError("changes committed in a write=False unit of work (SQLite would open it deferred)")
        if self.store.version != self._base_version:
            raise FakeConflict("another unit of work committed since this one began")
        self.store.state = copy.deepcopy(self._work)
        self.store.version += 1
        self.store.commits += 1
        self.committed = True
        self._begin()  # later statements run in a fresh transaction, as SQLAlchemy's autobegin does

    def rollback(self) -> None:
        if self._work is not None:
            self._begin()


# ---- Other ports ----------------------------------------------------------------------------


class FakeHasher:
    """Transparent "hashing": fast and easy to assert on. Hashes of another scheme need a rehash."""

    PREFIX = "hashed:"

    def hash(self, password: str) -> str:
        return self.PREFIX + password

    def verify(self, password_hash: str, password: str) -> bool:
        return password_hash == self.PREFIX + password

    def needs_rehash(self, password_hash: str) -> bool:
        return not password_hash.startswith(self.PREFIX)


class FakeMailer:
    """Records what it sends; raises for listed addresses or while `fail_with` is set."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []
        self.fail_with: Exception | None = None
        self.fail_for: set[str] = set()

    def send(self, to_address: str, subject: str, body: str) -> None:
        if self.fail_with is not None:
            raise self.fail_with
        if to_address in self.fail_for:
            raise ConnectionError(f"550 mailbox unavailable: {to_address}")
        self.sent.append((to_address, subject, body))


class FakeImageStore:
    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}

    def put(self, data: bytes, suffix: str) -> str:
        key = f"img{len(self.blobs) + 1}.{suffix.lstrip('.')}"
        self.blobs[key] = data
        return key

    def path(self, key: str) -> str:
        return f"/fake-images/{key}"

    def url(self, key: str) -> str:
        return f"/images/{key}"

    def delete(self, key: str) -> None:
        self.blobs.pop(key, None)

    def exists(self, key: str) -> bool:
        return key in self.blobs


class FakeClock:
    """A fixed clock that moves only when told to."""

    def __init__(self, start: datetime = START) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta | None = None, **parts: float) -> datetime:
        self.current += delta if delta is not None else timedelta(**parts)
        return self.current


def make_context(store: FakeStore | None = None, *, clock: FakeClock | None = None,
                 mailer: FakeMailer | None = None, **overrides: Any) -> AppContext:
    """An AppContext over fakes; `ctx.uow(write=...)` opens a FakeUnitOfWork on the store."""
    shared = store if store is not None else FakeStore()
    values: dict[str, Any] = {
        "uow": lambda write=True: FakeUnitOfWork(shared, write=write),
        "hasher": FakeHasher(),
        "images": FakeImageStore(),
        "mailer": mailer,
        "clock": clock if clock is not None else FakeClock(),
        "base_url": "https://cocreate.test",
        "cookie_secret": "unit-test-cookie-secret-of-32-chars",
    }
    values.update(overrides)
    return AppContext(**values)
