"""Operator commands run as an operator would: `python -m lib.cli ...` in a fresh process."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from lib.adapters.auth.passwords import Argon2Hasher
from lib.adapters.db import migrate
from lib.adapters.db.engine import make_engine
from lib.adapters.db.schema import core as t
from lib.domain.accounts import Role
from lib.domain.errors import InvalidCredentials
from lib.services.accounts import auth
from lib.services.demo import seed
from tests.conftest import make_context
from tests.integration.support import cli_env, run_cli

ADMIN_PASSWORD = "operator-chosen-password"
UNREACHABLE = "postgresql://nobody:hunter2-secret@127.0.0.1:1/x"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def env(data_dir: Path) -> dict[str, str]:
    return cli_env(data_dir)


@pytest.fixture
def db(data_dir: Path) -> Iterator:  # type: ignore[type-arg]
    """The CLI's database, opened after it created it; services use the default (real-cost) hasher."""
    engine = make_engine(f"sqlite:///{data_dir / 'cocreate.db'}")
    yield engine
    engine.dispose()


def ctx_for(engine, data_dir: Path):  # type: ignore[no-untyped-def]
    # The default hasher, as the CLI uses: a sign-in then never re-hashes the stored password.
    return make_context(engine, data_dir / "images", hasher=Argon2Hasher())


def test_migrate_creates_a_current_schema(env, data_dir, db):
    done = run_cli(env, "migrate")
    assert done.returncode == 0, done.stderr
    assert "up to date" in done.stdout
    assert (data_dir / "cocreate.db").is_file()
    assert not migrate.pending(db)
    assert run_cli(env, "migrate").returncode == 0  # again: nothing to do, no error


def test_create_admin_refuses_a_short_password_in_english(env, db):
    done = run_cli(env, "create-admin", "--email", "root@example.com", "--password-stdin", stdin="short\n")
    assert done.returncode == 1
    assert done.stderr.strip() == "error: The password needs at least 10 characters."
    assert "Traceback" not in done.stderr
    with db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.users)).scalar_one() == 0


def test_create_admin_makes_an_admin_who_can_sign_in_and_repeating_it_is_fine(env, data_dir, db):
    args = ("create-admin", "--email", "Root@Example.com", "--name", "Root Operator", "--password-stdin")
    done = run_cli(env, *args, stdin=f"{ADMIN_PASSWORD}\n")
    assert done.returncode == 0, done.stderr
    assert "admin ready: root@example.com" in done.stdout

    ctx = ctx_for(db, data_dir)
    user = auth.sign_in(ctx, email="root@example.com", password=ADMIN_PASSWORD).user
    assert {Role.ADMIN, Role.MODERATOR, Role.CONSUMER} <= user.roles
    assert user.display_name == "Root Operator" and user.is_verified

    again = run_cli(env, *args, stdin=f"{ADMIN_PASSWORD}\n")
    assert again.returncode == 0, again.stderr
    assert f"(id {user.id})" in again.stdout
    with db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.users)).scalar_one() == 1


def test_create_admin_promotes_an_existing_account_without_touching_its_password(env, data_dir, db):
    assert run_cli(env, "migrate").returncode == 0
    ctx = ctx_for(db, data_dir)
    member = auth.sign_up(ctx, email="member@example.com", display_name="Member",
                              password="members-own-password")

    done = run_cli(env, "create-admin", "--email", "MEMBER@example.com", "--password-stdin",
                   stdin=f"{ADMIN_PASSWORD}\n")

    assert done.returncode == 0, done.stderr
    assert f"(id {member.id})" in done.stdout
    promoted = auth.sign_in(ctx, email="member@example.com", password="members-own-password").user
    assert promoted.id == member.id and {Role.ADMIN, Role.MODERATOR, Role.CONSUMER} <= promoted.roles
    with pytest.raises(InvalidCredentials):
        auth.sign_in(ctx, email="member@example.com", password=ADMIN_PASSWORD)


def test_seed_demo_prints_the_demo_sign_ins_and_runs_once(env, db):
    done = run_cli(env, "seed-demo")
    assert done.returncode == 0, done.stderr
    assert "demo sign-ins" in done.stdout
    for role, email, password in seed.demo_accounts():
        assert any(role in line and email in line and password in line for line in done.stdout.splitlines())
    with db.connect() as conn:
        ideas = conn.execute(select(func.count()).select_from(t.ideas)).scalar_one()
    assert ideas >= 30

    again = run_cli(env, "seed-demo")
    assert again.returncode == 0, again.stderr
    assert "nothing seeded" in again.stdout
    with db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.ideas)).scalar_one() == ideas


def test_run_jobs_prints_one_json_report(env):
    done = run_cli(env, "run-jobs")
    assert done.returncode == 0, done.stderr
    [line] = done.stdout.strip().splitlines()
    report = json.loads(line)
    assert report == {"ran": True, "ideas_expired": 0, "ideas_won": 0, "reservations_released": 0,
                      "campaigns_settled": 0, "preorders_dropped": 0, "orders_synced": 0, "purchases_released": 0,
                      "deliveries_confirmed": 0, "reminders_sent": 0, "emails_sent": 0, "sessions_purged": 0,
                      "throttles_purged": 0, "failed": [], "deferred": []}
    assert done.stderr == ""


def test_run_jobs_names_a_failed_job_runs_the_others_and_exits_1(env, db):
    assert run_cli(env, "migrate").returncode == 0
    with db.begin() as conn:  # the reminders job cannot run; nothing else needs this table
        conn.execute(text("DROP TABLE reminders"))

    done = run_cli(env, "run-jobs")

    assert done.returncode == 1, (done.stdout, done.stderr)
    [line] = done.stdout.strip().splitlines()
    report = json.loads(line)
    assert report["ran"] is True and report["failed"] == ["reminders"]
    assert "reminders_sent" not in report
    assert report["emails_sent"] == 0 and report["sessions_purged"] == 0  # the jobs after it still ran
    assert "error: due jobs failed: reminders" in done.stderr


@pytest.mark.parametrize("args", [("migrate",), ("seed-demo",), ("run-jobs",),
                                  ("create-admin", "--email", "a@example.com", "--password-stdin")])
def test_unreachable_database_is_exit_2_with_one_line_and_no_traceback(data_dir, args):
    done = run_cli(cli_env(data_dir, DATABASE_URL=UNREACHABLE), *args, stdin=f"{ADMIN_PASSWORD}\n")
    assert done.returncode == 2, (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: Cannot use the database at postgresql")
    assert "127.0.0.1:1/x" in lines[0] and "hunter2-secret" not in lines[0]
    assert "Traceback" not in done.stderr


def test_insecure_production_settings_are_exit_2(data_dir):
    done = run_cli(cli_env(data_dir, COCREATE_DEMO="false"), "migrate")
    assert done.returncode == 2
    assert done.stderr.startswith("error: COCREATE_COOKIE_SECRET") and "Traceback" not in done.stderr
