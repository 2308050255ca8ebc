"""Timestamps on real SQLite and PostgreSQL: every moment comes back UTC-aware and equal to what was
written, whatever zone it was written in, and a naive datetime is refused before it reaches the database."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import render_python_code
from alembic.operations import ops
from sqlalchemy import Column, func, select
from sqlalchemy.exc import StatementError

from lib.adapters.db.migrate import render_item
from lib.adapters.db.schema import core as t
from lib.adapters.db.schema.base import UtcDateTime
from lib.adapters.db.uow import SqlUnitOfWork
from lib.domain.accounts import AuthSession, Role, User
from lib.services.ideas import cocreation, moderation

SEOUL = timezone(timedelta(hours=9))
# 10:00 in Seoul is 01:00 UTC: earlier than EARLY_UTC's 03:00 although its wall clock reads later.
IN_SEOUL = datetime(2031, 5, 4, 10, 0, 0, 123456, tzinfo=SEOUL)
EARLY_UTC = datetime(2031, 5, 4, 3, 0, tzinfo=UTC)


def a_user(n: int = 1, **fields: object) -> User:
    return User(id=0, email=f"dt{n}@example.com", display_name="Dee", password_hash="x",
                referral_code=f"DT{n:06d}", **fields)  # type: ignore[arg-type]


def assert_utc(value: datetime | None, expected: datetime) -> None:
    assert value is not None and value.tzinfo is UTC
    assert value == expected


def test_a_moment_written_in_another_zone_comes_back_equal_in_utc(engine):
    with SqlUnitOfWork(engine) as uow:
        user_id = uow.users.add(a_user(created_at=IN_SEOUL, email_verified_at=EARLY_UTC)).id
        stored = uow.users.get(user_id)
        assert stored is not None
        stored.locked_until = IN_SEOUL + timedelta(minutes=15)
        uow.users.save(stored)
        uow.commit()

    with SqlUnitOfWork(engine, write=False) as uow:
        user = uow.users.get(user_id)
        assert user is not None
        assert_utc(user.created_at, IN_SEOUL)
        assert_utc(user.email_verified_at, EARLY_UTC)
        assert_utc(user.locked_until, IN_SEOUL + timedelta(minutes=15))


def test_moments_written_in_different_zones_compare_by_the_instant(engine):
    """The Seoul expiry is the earlier instant, so purging at 03:00 UTC removes it and keeps the other."""
    with SqlUnitOfWork(engine) as uow:
        user_id = uow.users.add(a_user(created_at=EARLY_UTC)).id
        expired = uow.sessions.add(AuthSession(id=0, user_id=user_id, created_at=IN_SEOUL - timedelta(hours=1),
                                               expires_at=IN_SEOUL, token_hash="expired")).id
        live = uow.sessions.add(AuthSession(id=0, user_id=user_id, created_at=EARLY_UTC,
                                            expires_at=EARLY_UTC + timedelta(minutes=1), token_hash="live")).id
        assert uow.sessions.purge_expired(EARLY_UTC) == 1
        uow.commit()

    with SqlUnitOfWork(engine, write=False) as uow:
        assert uow.sessions.get(expired) is None
        kept = uow.sessions.get(live)
        assert kept is not None
        assert_utc(kept.expires_at, EARLY_UTC + timedelta(minutes=1))


def test_an_aggregated_moment_comes_back_in_utc(ctx, published_idea, person):
    """The moderation queue's first_flagged is a MIN() over flags.created_at."""
    idea_id, _ = published_idea()
    in_seoul = dataclasses.replace(ctx, clock=lambda: IN_SEOUL)
    cocreation.flag(in_seoul, person(), "idea", idea_id, "spam")
    cocreation.flag(dataclasses.replace(ctx, clock=lambda: IN_SEOUL + timedelta(hours=1)), person(), "idea", idea_id)

    [item] = moderation.flagged(ctx, person(Role.MODERATOR))

    assert item.flags == 2
    assert_utc(item.first_flagged, IN_SEOUL)


def test_min_max_and_coalesce_keep_the_column_type(engine):
    with SqlUnitOfWork(engine) as uow:
        uow.users.add(a_user(1, created_at=IN_SEOUL))
        uow.users.add(a_user(2, created_at=EARLY_UTC))
        uow.commit()

    c = t.users.c
    with engine.connect() as conn:
        first, last, either = conn.execute(select(func.min(c.created_at), func.max(c.created_at),
                                                  func.max(func.coalesce(c.locked_until, c.created_at)))).one()
    assert_utc(first, IN_SEOUL)
    assert_utc(last, EARLY_UTC)
    assert_utc(either, EARLY_UTC)


def test_a_naive_datetime_is_refused_and_nothing_is_written(engine):
    naive = datetime(2031, 5, 4, 3, 0)
    with SqlUnitOfWork(engine) as uow, pytest.raises(StatementError, match="naive datetime") as refused:
        uow.users.add(a_user(created_at=naive))
    assert isinstance(refused.value.orig, ValueError)

    with SqlUnitOfWork(engine) as uow, pytest.raises(StatementError, match="naive datetime"):
        uow.sessions.purge_expired(naive)

    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.users)).scalar_one() == 0


def test_the_type_refuses_naive_and_normalises_aware_values(engine):
    kind = UtcDateTime()
    with pytest.raises(ValueError, match="naive datetime"):
        kind.process_bind_param(datetime(2031, 5, 4), engine.dialect)
    assert_utc(kind.process_bind_param(IN_SEOUL, engine.dialect), IN_SEOUL)
    assert kind.process_bind_param(None, engine.dialect) is None


def test_autogenerate_writes_the_column_type_migrations_use():
    """Migrations keep sa.DateTime(timezone=True) and never import app code."""
    add = ops.UpgradeOps(ops=[ops.AddColumnOp("users", Column("seen_at", UtcDateTime()))])
    assert "sa.DateTime(timezone=True)" in render_python_code(add, render_item=render_item)
