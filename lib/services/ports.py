"""Ports every context shares: settings, job locks and runs, one-time request keys, image storage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class JobRun:
    """A due job that failed: how many times in a row, and when the runner may try it again."""

    name: str
    failures: int
    next_run_at: datetime | None
    last_error: str | None


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


class ImageStore(Protocol):
    def put(self, data: bytes, suffix: str) -> str: ...
    def delete(self, key: str) -> None: ...
    def path(self, key: str) -> str: ...
    def url(self, key: str) -> str: ...
    def exists(self, key: str) -> bool: ...
