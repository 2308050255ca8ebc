"""Alembic migrations on real SQLite and PostgreSQL: complete, current, repeatable, append-only audit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import delete, insert, inspect, select, text, update
from sqlalchemy.exc import DBAPIError

from lib.adapters.db import migrate
from lib.adapters.db.schema import core as t
from lib.adapters.db.schema.base import metadata


def test_upgrade_creates_every_table_and_is_then_current(blank_engine):
    assert inspect(blank_engine).get_table_names() == []
    assert migrate.pending(blank_engine)

    migrate.upgrade(blank_engine)

    tables = set(inspect(blank_engine).get_table_names())
    assert set(metadata.tables) <= tables
    assert "alembic_version" in tables
    assert not migrate.pending(blank_engine)


def test_upgrade_twice_is_harmless_and_keeps_data(blank_engine):
    migrate.upgrade(blank_engine)
    with blank_engine.begin() as conn:
        conn.execute(insert(t.settings).values(key="kept", value="across upgrades"))

    migrate.upgrade(blank_engine)

    assert not migrate.pending(blank_engine)
    with blank_engine.connect() as conn:
        assert conn.execute(select(t.settings.c.value).where(t.settings.c.key == "kept")).scalar() == \
            "across upgrades"
        assert len(conn.execute(text("SELECT version_num FROM alembic_version")).all()) == 1


def test_migrated_schema_matches_the_metadata_exactly(engine):
    """What autogenerate would write next is nothing: tables.py and the migrations agree."""
    with engine.connect() as conn:
        # The same filter env.py gives autogenerate: it skips the migration-only trigram indexes.
        context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "include_object": migrate.include_object})
        diff = compare_metadata(context, metadata)
    assert diff == []


def test_audit_log_is_append_only_in_the_database(engine):
    now = datetime.now(UTC)
    with engine.begin() as conn:
        actor = conn.execute(insert(t.users).values(
            email="mod@example.com", display_name="Mod", password_hash="x", referral_code="AUDIT001",
            created_at=now).returning(t.users.c.id)).scalar_one()
        entry = conn.execute(insert(t.audit_log).values(
            actor_id=actor, action="hide", target_type="idea", target_id=1, created_at=now,
        ).returning(t.audit_log.c.id)).scalar_one()

    for statement in (update(t.audit_log).where(t.audit_log.c.id == entry).values(reason="rewritten"),
                      delete(t.audit_log).where(t.audit_log.c.id == entry)):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(statement)

    with engine.connect() as conn:
        assert conn.execute(select(t.audit_log.c.reason).where(t.audit_log.c.id == entry)).scalar_one() == ""
