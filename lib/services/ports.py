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
    def mark_sent(self, message_id: int, now: datetime) -> None: ...
    def mark_failed(self, message_id: int, error: str) -> None: ...


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
    def release(self, name: str, holder: str, now: datetime) -> None: ...


class Mailer(Protocol):
    """Delivers one e-mail; raises on failure. Absent when no SMTP is configured."""

    def send(self, to_address: str, subject: str, body: str) -> None: ...


class ImageStore(Protocol):
    def put(self, data: bytes, suffix: str) -> str: ...
    def delete(self, key: str) -> None: ...
    def path(self, key: str) -> str: ...
    def exists(self, key: str) -> bool: ...
