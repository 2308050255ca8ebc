"""Trigram indexes for substring search on PostgreSQL

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

Search is `lower(col) LIKE '%words%'` on both databases. On PostgreSQL, pg_trgm GIN indexes
serve that query; where the extension cannot be created (no privilege), search still works,
only without the index. SQLite scans, which is fast enough at its scale.
"""
from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

COLUMNS = ("title", "pitch", "tags")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    savepoint = bind.begin_nested()
    try:
        bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:  # noqa: BLE001 - an unprivileged role just goes without the index
        savepoint.rollback()
        return
    savepoint.commit()
    for column in COLUMNS:
        op.execute(f"CREATE INDEX IF NOT EXISTS ix_ideas_{column}_trgm ON ideas "
                   f"USING gin (lower({column}) gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in COLUMNS:
        op.execute(f"DROP INDEX IF EXISTS ix_ideas_{column}_trgm")
