"""The one place that wires adapters into services."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from functools import partial

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from lib.adapters.auth.passwords import Argon2Hasher
from lib.adapters.db import migrate
from lib.adapters.db.engine import make_engine
from lib.adapters.db.uow import SqlUnitOfWork
from lib.adapters.mail.smtp import SmtpMailer
from lib.adapters.payments import make_gateway
from lib.adapters.storage.local import LocalImageStore, make_cover
from lib.adapters.storage.pipeline import process_upload
from lib.config import Settings, load_settings
from lib.domain.accounts import SessionPolicy
from lib.services.context import AppContext

log = logging.getLogger(__name__)


class StartupError(RuntimeError):
    """The app cannot start; the message tells the operator what to fix."""


def connect(settings: Settings) -> Engine:
    """An engine whose database answers, or a StartupError that says why not."""
    try:
        engine = make_engine(settings.database_url)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            if engine.dialect.name == "sqlite":
                # A read-only file only fails on the first write: try one now.
                conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS _write_probe (x INTEGER)")
                conn.exec_driver_sql("DROP TABLE _write_probe")
            conn.commit()
    except (SQLAlchemyError, OSError, ValueError, ImportError) as exc:  # ImportError: no driver for that URL
        where = engine.url.render_as_string(hide_password=True) if "engine" in locals() else "DATABASE_URL"
        raise StartupError(f"Cannot use the database at {where}: {_reason(exc)}") from exc
    return engine


def _reason(exc: Exception) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__


def build_context(settings: Settings, engine: Engine, hasher: Argon2Hasher | None = None) -> AppContext:
    mailer = None
    if settings.smtp_host:
        mailer = SmtpMailer(settings.smtp_host, settings.smtp_port, settings.smtp_from,
                            settings.smtp_user, settings.smtp_password, settings.smtp_starttls)
    images = LocalImageStore(settings.images_dir)
    return AppContext(
        payments=make_gateway(settings),
        key_prefix=_install_id(engine),
        uow=partial(SqlUnitOfWork, engine),
        hasher=hasher or Argon2Hasher(),
        images=images,
        process_image=partial(process_upload, store=images),
        mailer=mailer,
        make_cover=make_cover,
        base_url=settings.base_url, base_url_fixed=settings.base_url_explicit,
        currency=settings.currency,
        demo_mode=settings.demo_mode,
        cookie_secret=settings.cookie_secret,
        cookie_secure=settings.cookie_secure,
        session_policy=SessionPolicy(max_age=timedelta(days=settings.session_max_days),
                                     idle_timeout=timedelta(days=settings.session_idle_days)),
    )


def _install_id(engine: Engine) -> str:
    """A random id per database, prefixed to payment idempotency keys: a fresh database (a reset
    demo) must not replay keys a payment provider still remembers from the last one."""
    from lib.adapters.db.repos.platform import SqlSettingsRepository

    try:
        with engine.begin() as conn:
            repo = SqlSettingsRepository(conn)
            repo.put_if_absent("install_id", secrets.token_hex(4))
            return f"{repo.get('install_id')}:"
    except SQLAlchemyError:  # no schema yet (build_context before migrations, in tests)
        return ""


def prepare_schema(settings: Settings, engine: Engine) -> None:
    """Migrate automatically on the embedded default; elsewhere insist the operator did."""
    try:
        if settings.is_embedded:
            migrate.upgrade(engine)
        elif migrate.pending(engine):
            raise StartupError("The database schema is not current: run `python -m lib.cli migrate`.")
    except SQLAlchemyError as exc:
        raise StartupError(f"Cannot prepare the database schema: {_reason(exc)}") from exc


def check_demo_mode(settings: Settings) -> None:
    """Demo mode seeds accounts with a published password: a deployment that looks like production
    (https, PostgreSQL) must choose it knowingly rather than inherit the local default."""
    if settings.demo_mode and not settings.demo_explicit and settings.looks_like_production:
        raise StartupError(
            "COCREATE_DEMO is not set, and this deployment looks like production (an https "
            "COCREATE_BASE_URL or a PostgreSQL DATABASE_URL): set COCREATE_DEMO=false, or "
            "COCREATE_DEMO=true to knowingly seed demo accounts that sign in with the published password.")


def start(settings: Settings | None = None) -> AppContext:
    """Everything the app needs at start-up: settings, database, schema, demo data."""
    from lib.services.demo import seed

    settings = settings or load_settings()
    check_demo_mode(settings)
    engine = connect(settings)
    prepare_schema(settings, engine)
    ctx = build_context(settings, engine)
    if settings.demo_mode:
        seed.seed_if_empty(ctx)
    return ctx
