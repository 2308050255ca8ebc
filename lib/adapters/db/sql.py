"""Small dialect-aware SQL helpers shared by the repositories."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection


def dialect_insert(conn: Connection, table: Table) -> Any:
    """The dialect's INSERT construct, which has on_conflict_do_nothing on both databases."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def insert_ignore(conn: Connection, table: Table, values: dict[str, Any]) -> int:
    """INSERT that does nothing when the key exists (race-free on both databases)."""
    stmt = dialect_insert(conn, table).values(**values).on_conflict_do_nothing()
    # SQLAlchemy 2.1 + psycopg reports rowcount -1 for INSERT unless asked to keep it.
    return int(conn.execute(stmt, execution_options={"preserve_rowcount": True}).rowcount)


def like_escape(text: str) -> str:
    """Escape LIKE wildcards in user text (used with escape='\\\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
