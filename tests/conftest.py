"""Shared fixtures: real SQLite and PostgreSQL databases, and an AppContext over them.

PostgreSQL and Chromium tests skip with a reason on a newcomer's machine; with
CI=true a missing one is a failure, never a skip.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from lib.adapters.auth.passwords import Argon2Hasher
from lib.adapters.db import migrate
from lib.adapters.db.engine import make_engine
from lib.adapters.db.uow import SqlUnitOfWork
from lib.adapters.storage.local import LocalImageStore, make_cover
from lib.services.context import AppContext

pytest_plugins = ["tests.journey_fixtures", "tests.commerce_fixtures"]

IN_CI = os.environ.get("CI", "").lower() == "true"
PG_ADMIN_URL = os.environ.get("COCREATE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
CHROMIUM = os.environ.get("COCREATE_CHROMIUM", "/usr/bin/chromium")


def unavailable(reason: str) -> None:
    """Skip locally; fail in CI, where every service must be present."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this must not be skipped)")
    pytest.skip(reason)


def fast_hasher() -> Argon2Hasher:
    """Real argon2id, with a small cost so the suite stays quick."""
    return Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'test.db'}")
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@contextmanager
def scratch_pg_engine(prefix: str) -> Iterator[Engine]:
    """An engine on a new, empty PostgreSQL database named prefix + random hex, dropped afterwards.
    No PostgreSQL at PG_ADMIN_URL is `unavailable` (a skip, or a failure in CI)."""
    name = f"{prefix}{secrets.token_hex(4)}"
    try:
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - any failure means "no PostgreSQL here"
        unavailable(f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {exc.__class__.__name__}")
    engine = make_engine(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    """A fresh, migrated PostgreSQL database for one test, dropped afterwards."""
    with scratch_pg_engine("cocreate_t_") as engine:
        migrate.upgrade(engine)
        yield engine


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Engine:
    """Each test using this runs on both databases."""
    return request.getfixturevalue("pg_engine" if request.param == "postgres" else "sqlite_engine")


def make_context(engine: Engine, images_dir: Path, **overrides: object) -> AppContext:
    values: dict[str, object] = {
        "uow": partial(SqlUnitOfWork, engine), "hasher": fast_hasher(),
        "images": LocalImageStore(images_dir), "make_cover": make_cover,
        "cookie_secret": secrets.token_urlsafe(32),
    }
    values.update(overrides)
    return AppContext(**values)  # type: ignore[arg-type]


@pytest.fixture
def ctx(engine: Engine, tmp_path: Path) -> AppContext:
    """An AppContext over a real database (SQLite and PostgreSQL)."""
    return make_context(engine, tmp_path / "images")


@pytest.fixture
def chromium() -> str:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        unavailable(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="session")
def running_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """One real `streamlit run` of the app with its demo marketplace, shared by a test session."""
    from tests.server import start_app

    app = start_app(tmp_path_factory.mktemp("app-data"))
    yield app
    app.stop()
