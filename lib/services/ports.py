"""Ports every context shares: the e-mail outbox, the inbox, settings, job locks, mail delivery, image
storage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class OutboxMessage:
    id: int
    to_address: str
    subject: str
    body: str
    created_at: datetime
    sent_at: datetime | None
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None = None


@dataclass(frozen=True)
class JobRun:
    """A due job that failed: how many times in a row, and when the runner may try it again."""

    name: str
    failures: int
    next_run_at: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class Notification:
    id: int
    user_id: int
    kind: str
    params: dict[str, Any]
    link: str | None
    created_at: datetime
    read_at: datetime | None


class OutboxRepository(Protocol):
    def add(self, to_address: str, subject: str, body: str, now: datetime) -> int: ...
    def recent(self, limit: int, offset: int) -> list[OutboxMessage]: ...
    def unsent(self, limit: int) -> list[OutboxMessage]: ...
    def due(self, now: datetime, max_attempts: int, limit: int) -> list[OutboxMessage]:
        """Unsent messages with attempts left whose backoff has passed, oldest first (filtered in SQL,
        so dead letters never take a place in the batch)."""
        ...
    def dead_letters(self, max_attempts: int, limit: int) -> list[OutboxMessage]:
        """Unsent messages that used up their attempts, newest first."""
        ...
    def mark_sent(self, message_id: int, now: datetime) -> None: ...
    def mark_failed(self, message_id: int, error: str, next_attempt_at: datetime) -> None: ...
    def retry(self, message_id: int, max_attempts: int, now: datetime) -> bool:
        """A dead letter gets its attempts back and is due at once; False when it is not one."""
        ...


class NotificationRepository(Protocol):
    def add(self, user_id: int, kind: str, params: dict[str, Any], link: str | None, now: datetime) -> int: ...
    def for_user(self, user_id: int, limit: int, offset: int) -> list[Notification]: ...
    def unread_count(self, user_id: int) -> int: ...
    def mark_read(self, user_id: int, ids: Sequence[int] | None, now: datetime) -> int: ...


class SettingsRepository(Protocol):
    def get(self, key: str) -> str | None: ...
    def put(self, key: str, value: str) -> None: ...


class JobLockRepository(Protocol):
    def acquire(self, name: str, holder: str, now: datetime, until: datetime) -> bool: ...
    def extend(self, name: str, holder: str, now: datetime, until: datetime) -> bool:
        """The heartbeat: move locked_until on, only while `holder` still holds the lock."""
        ...
    def release(self, name: str, holder: str, now: datetime) -> None: ...
    def failed_runs(self) -> list[JobRun]:
        """Jobs whose last run failed (their backoff)."""
        ...
    def record_failure(self, job: str, failures: int, now: datetime, next_run_at: datetime, error: str) -> None:
        """`job` has failed `failures` times in a row; it is not run again before `next_run_at`."""
        ...
    def record_success(self, job: str) -> None: ...


class RequestKeyRepository(Protocol):
    """One-time request keys of the forms that move money (unique per account)."""

    def claim(self, user_id: int, key: str, action: str, now: datetime) -> bool:
        """Insert the key; False when it exists (a concurrent claim waits for the first to finish)."""
        ...
    def first(self, user_id: int, key: str) -> tuple[str, int | None] | None:
        """(action, result id) of the submission that claimed the key."""
        ...
    def record(self, user_id: int, key: str, result_id: int) -> None: ...
    def forget(self, user_id: int, action: str, result_id: int) -> None:
        """The effect was undone (a refused card, a failed refund): a replay may try again."""
        ...


class Mailer(Protocol):
    """Delivers one e-mail; raises on failure. Absent when no SMTP is configured."""

    def send(self, to_address: str, subject: str, body: str) -> None: ...


class ImageStore(Protocol):
    def put(self, data: bytes, suffix: str) -> str: ...
    def delete(self, key: str) -> None: ...
    def path(self, key: str) -> str: ...
    def exists(self, key: str) -> bool: ...
