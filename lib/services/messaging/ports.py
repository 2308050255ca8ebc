"""What messaging needs: the e-mail outbox, the in-app inbox and mail delivery."""

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


class Mailer(Protocol):
    """Delivers one e-mail; raises on failure. Absent when no SMTP is configured."""

    def send(self, to_address: str, subject: str, body: str) -> None: ...
