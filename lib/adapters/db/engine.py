"""Engines for the embedded SQLite default and for PostgreSQL (incl. Supabase)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.pool import NullPool

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA busy_timeout=15000",
    "PRAGMA foreign_keys=ON",
    "PRAGMA synchronous=NORMAL",
)
# Supabase's transaction pooler (Supavisor) listens on 6543 and cannot keep
# prepared statements across transactions.
TRANSACTION_POOLER_PORT = 6543


def normalize_url(raw: str) -> URL:
    """Accept the URL forms people paste (postgres://, postgresql://) and pick psycopg 3."""
    url = make_url(raw.strip())
    if url.drivername in ("postgres", "postgresql", "postgresql+psycopg2"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def uses_transaction_pooler(url: URL) -> bool:
    flag = str(url.query.get("pgbouncer", "")).lower() == "true"
    return url.port == TRANSACTION_POOLER_PORT or flag


def make_engine(raw_url: str) -> Engine:
    url = normalize_url(raw_url)
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    connect_args: dict[str, Any] = {"connect_timeout": 10}
    if uses_transaction_pooler(url):
        connect_args["prepare_threshold"] = None
        url = url.difference_update_query(["pgbouncer"])
    return create_engine(
        url, connect_args=connect_args, pool_pre_ping=True, pool_size=10, max_overflow=20
    )


def _sqlite_engine(url: URL) -> Engine:
    database = url.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 15},
        poolclass=NullPool if database in ("", ":memory:") else None,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control away from the driver so BEGIN is ours.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        for pragma in SQLITE_PRAGMAS:
            cur.execute(pragma)
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the write lock up front, so read-modify-write cannot race.
        mode = "IMMEDIATE" if conn.get_execution_options().get("write", True) else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
