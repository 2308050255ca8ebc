"""Small dialect-aware SQL helpers shared by the repositories."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection


def insert_ignore(conn: Connection, table: Table, values: dict[str, Any]) -> int:
    """INSERT that does nothing when the key exists (race-free on both databases)."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table).values(**values).on_conflict_do_nothing()
    # SQLAlchemy 2.1 + psycopg reports rowcount -1 for INSERT unless asked to keep it.
    return int(conn.execute(stmt, execution_options={"preserve_rowcount": True}).rowcount)


def like_escape(text: str) -> str:
    """Escape LIKE wildcards in user text (used with escape='\\\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
