"""Racing writers on real SQLite and PostgreSQL: the database decides, exactly once."""

from __future__ import annotations

import dataclasses
import time
from concurrent.futures import ThreadPoolExecutor

from lib.adapters.db.schema import core as t
from lib.domain.accounts import LOCK_AFTER_FAILURES, Role
from lib.domain.errors import AccountLocked, EmailAlreadyRegistered, InvalidCredentials, TokenInvalid
from lib.services import jobs
from lib.services.accounts import auth
from lib.services.ideas import moderation
from tests.conftest import make_context
from tests.integration.support import RecordingMailer, SlowVerifyHasher, count_rows
from tests.race import kinds, race

PASSWORD = "correct horse battery"


def test_twenty_claims_of_one_handoff_code_yield_exactly_one_token(ctx):
    user = auth.sign_up(ctx, email="ann@example.com", display_name="Ann", password=PASSWORD)
    signed = auth.sign_in(ctx, email=user.email, password=PASSWORD)

    results = race(20, lambda _i: auth.claim_handoff(ctx, signed.handoff_code), expected=TokenInvalid)

    assert kinds(results) == {"str": 1, "TokenInvalid": 19}
    [token] = [r for r in results if isinstance(r, str)]
    resolved = auth.resolve_session(ctx, token)
    assert resolved is not None and resolved[1] == signed.session_id


def test_ten_job_runners_at_once_run_the_jobs_exactly_once(engine, tmp_path):
    mailer = RecordingMailer(delay=0.1)
    ctx = make_context(engine, tmp_path / "images", mailer=mailer)
    for i in range(4):  # four verification mails to deliver, slowly
        auth.sign_up(ctx, email=f"u{i}@example.com", display_name=f"U{i}", password=PASSWORD)

    results = race(10, lambda i: jobs.run_due_jobs(ctx, f"runner-{i}"))

    reports = [r for r in results if r is not None]
    assert len(reports) == 1, results
    assert all(r is None or isinstance(r, dict) for r in results), results
    assert reports[0]["emails_sent"] == 4
    assert sorted(to for to, _s, _b in mailer.sent) == [f"u{i}@example.com" for i in range(4)]
    # The lock was released: the next run goes ahead (with nothing left to send).
    again = jobs.run_due_jobs(ctx, "runner-late")
    assert again is not None and again["emails_sent"] == 0


def test_a_crashed_runners_lock_expires(engine, tmp_path):
    ctx = make_context(engine, tmp_path / "images")
    now = ctx.now()
    with ctx.uow() as uow:
        assert uow.job_locks.acquire(jobs.LOCK_NAME, "crashed", now, now + jobs.LOCK_TTL)
        uow.commit()
    assert jobs.run_due_jobs(ctx, "another") is None

    later = dataclasses.replace(ctx, clock=lambda: now + jobs.LOCK_TTL + jobs.LOCK_TTL)
    assert jobs.run_due_jobs(later, "another") is not None


def test_concurrent_wrong_passwords_lock_the_account_with_no_lost_failures(engine, tmp_path):
    ctx = make_context(engine, tmp_path / "images", hasher=SlowVerifyHasher())
    user = auth.sign_up(ctx, email="ann@example.com", display_name="Ann", password=PASSWORD)

    results = race(10, lambda _i: auth.sign_in(ctx, email=user.email, password="wrong password!"),
                   expected=(InvalidCredentials, AccountLocked))

    # Serialised per account: failures 1-4 are refused, the 5th locks, the rest meet the lock.
    assert kinds(results) == {"InvalidCredentials": LOCK_AFTER_FAILURES - 1,
                              "AccountLocked": 10 - (LOCK_AFTER_FAILURES - 1)}, results
    stored = auth.get_user(ctx, user.id)
    assert stored is not None and stored.locked_until is not None and stored.locked_until > ctx.now()
    try:
        auth.sign_in(ctx, email=user.email, password=PASSWORD)
    except AccountLocked:
        pass
    else:
        raise AssertionError("the right password got in while the account was locked")


def test_concurrent_failures_below_the_threshold_are_all_counted(engine, tmp_path):
    ctx = make_context(engine, tmp_path / "images", hasher=SlowVerifyHasher())
    user = auth.sign_up(ctx, email="ann@example.com", display_name="Ann", password=PASSWORD)
    failures = LOCK_AFTER_FAILURES - 1

    results = race(failures, lambda _i: auth.sign_in(ctx, email=user.email, password="wrong password!"),
                   expected=InvalidCredentials)

    assert all(isinstance(r, InvalidCredentials) for r in results), results
    stored = auth.get_user(ctx, user.id)
    assert stored is not None and stored.failed_sign_ins == failures and stored.locked_until is None
    auth.sign_in(ctx, email=user.email, password=PASSWORD)
    assert auth.get_user(ctx, user.id).failed_sign_ins == 0  # type: ignore[union-attr]


def test_racing_sign_ups_for_one_address_make_one_account(engine, tmp_path):
    ctx = make_context(engine, tmp_path / "images")
    spellings = ["ann@example.com", "Ann@example.com", "ANN@EXAMPLE.COM", " ann@Example.com", "aNN@example.com"]

    # The unique address decides here, not the sign-up throttle (tested in test_accounts.py).
    results = race(len(spellings), lambda i: auth.sign_up(
        ctx, email=spellings[i], display_name=f"Ann {i}", password=PASSWORD, throttled=False),
        expected=EmailAlreadyRegistered)

    assert kinds(results) == {"User": 1, "EmailAlreadyRegistered": len(spellings) - 1}, results
    assert count_rows(engine, t.users) == 1
    assert count_rows(engine, t.email_tokens) == 1


def test_a_sign_in_in_flight_does_not_undo_a_suspension(engine, tmp_path):
    """sign_in reads, checks the password, then saves the account: a suspension committed meanwhile
    must survive (the row is locked for the read-modify-write, not overwritten with a stale copy)."""
    ctx = make_context(engine, tmp_path / "images", hasher=SlowVerifyHasher(pause=0.6))
    mod = auth.sign_up(ctx, email="mod@example.com", display_name="Mod", password=PASSWORD,
                           roles={Role.CONSUMER, Role.MODERATOR})
    user = auth.sign_up(ctx, email="ann@example.com", display_name="Ann", password=PASSWORD)

    with ThreadPoolExecutor(max_workers=1) as pool:
        signing_in = pool.submit(auth.sign_in, ctx, email=user.email, password=PASSWORD)
        time.sleep(0.2)  # the sign-in has read the account and is checking the password
        moderation.set_suspended(ctx, mod, user.id, True, reason="spam")
        signing_in.result(timeout=30)

    stored = auth.get_user(ctx, user.id)
    assert stored is not None and stored.is_suspended
