"""Scratch databases for the benchmarks: a SQLite file in a folder, or a PostgreSQL database that
is created for the run and dropped afterwards (never an existing one)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from lib.adapters.db import migrate
from lib.adapters.db.engine import make_engine

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@contextmanager
def scratch_engine(db: str, workdir: Path) -> Iterator[Engine]:
    """A migrated empty database: a SQLite file, or a PostgreSQL database dropped afterwards."""
    if db == "sqlite":
        engine = make_engine(f"sqlite:///{workdir / 'bench.db'}")
        try:
            migrate.upgrade(engine)
            yield engine
        finally:
            engine.dispose()
        return
    name = f"cocreate_bench_{int(time.time())}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(PG_ADMIN.rsplit("/", 1)[0] + f"/{name}")
    try:
        migrate.upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
