"""SQL repositories for key/value settings, the job runner's lock rows and job backoff, and the
one-time request keys of money-moving forms."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.engine import Connection

from lib.adapters.db.schema import core as t
from lib.adapters.db.sql import insert_ignore
from lib.services.ports import JobRun


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

    def extend(self, name: str, holder: str, now: datetime, until: datetime) -> bool:
        j = t.job_locks.c
        return self.conn.execute(update(t.job_locks).where(j.name == name, j.holder == holder)
                                 .values(locked_until=until, heartbeat_at=now)).rowcount == 1

    def release(self, name: str, holder: str, now: datetime) -> None:
        j = t.job_locks.c
        self.conn.execute(update(t.job_locks).where(j.name == name, j.holder == holder)
                          .values(holder=None, locked_until=None, last_run_at=now))

    def failed_runs(self) -> list[JobRun]:
        r = t.job_runs.c
        rows = self.conn.execute(select(t.job_runs).where(r.failures > 0).order_by(r.name)).mappings()
        return [JobRun(name=row["name"], failures=row["failures"], next_run_at=row["next_run_at"],
                       last_error=row["last_error"]) for row in rows]

    def record_failure(self, job: str, failures: int, now: datetime, next_run_at: datetime, error: str) -> None:
        values = {"failures": failures, "next_run_at": next_run_at, "last_failed_at": now, "last_error": error}
        if not insert_ignore(self.conn, t.job_runs, {"name": job, **values}):
            self.conn.execute(update(t.job_runs).where(t.job_runs.c.name == job).values(**values))

    def record_success(self, job: str) -> None:
        self.conn.execute(delete(t.job_runs).where(t.job_runs.c.name == job))


class SqlRequestKeyRepository:
    """The primary key (account, key) makes a key usable once, concurrent submissions included."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def claim(self, user_id: int, key: str, action: str, now: datetime) -> bool:
        return insert_ignore(self.conn, t.request_keys,
                             {"user_id": user_id, "key": key, "action": action, "created_at": now}) == 1

    def first(self, user_id: int, key: str) -> tuple[str, int | None] | None:
        k = t.request_keys.c
        r = self.conn.execute(select(k.action, k.result_id).where(k.user_id == user_id, k.key == key)).first()
        return None if r is None else (str(r.action), None if r.result_id is None else int(r.result_id))

    def record(self, user_id: int, key: str, result_id: int) -> None:
        k = t.request_keys.c
        self.conn.execute(update(t.request_keys).where(k.user_id == user_id, k.key == key)
                          .values(result_id=result_id))

    def forget(self, user_id: int, action: str, result_id: int) -> None:
        k = t.request_keys.c
        self.conn.execute(delete(t.request_keys).where(k.user_id == user_id, k.action == action,
                                                       k.result_id == result_id))
