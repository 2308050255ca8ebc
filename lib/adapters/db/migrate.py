"""Alembic, driven from code: upgrade to head, or tell whether the schema is current."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    command.upgrade(alembic_config(engine), "head")


def pending(engine: Engine) -> bool:
    """True when the database is behind the newest migration."""
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    return current != head


# Indexes that live only in migrations: PostgreSQL trigram (GIN) indexes for search.
MIGRATION_ONLY_INDEXES = ("ix_ideas_title_trgm", "ix_ideas_pitch_trgm", "ix_ideas_tags_trgm")


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    return not (type_ == "index" and name in MIGRATION_ONLY_INDEXES)


def render_item(type_: str, obj: object, autogen_context: object) -> str | Literal[False]:
    """Autogenerate writes UtcDateTime as the column type it stands for: migrations never import app code."""
    from lib.adapters.db.schema.base import UtcDateTime

    return "sa.DateTime(timezone=True)" if type_ == "type" and isinstance(obj, UtcDateTime) else False


def schema_drift(engine: Engine) -> list[object]:
    """Differences between the schema package and the migrated database (empty when they agree)."""
    from alembic.autogenerate import compare_metadata

    from lib.adapters.db.schema.base import metadata

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object, "compare_type": True})
        return list(compare_metadata(context, metadata))
