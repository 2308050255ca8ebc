"""Alembic environment: the engine comes from lib.adapters.db.migrate (or DATABASE_URL)."""

from __future__ import annotations

from alembic import context

from lib.adapters.db.migrate import include_object, render_item
from lib.adapters.db.schema.base import metadata

config = context.config
engine = config.attributes.get("engine")
if engine is None:
    from lib.adapters.db.engine import make_engine
    from lib.config import load_settings

    engine = make_engine(load_settings().database_url)

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
