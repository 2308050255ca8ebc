"""SQL repositories for key/value settings and the job runner's lock rows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.engine import Connection

from lib.adapters.db.schema import core as t
from lib.adapters.db.sql import insert_ignore


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
