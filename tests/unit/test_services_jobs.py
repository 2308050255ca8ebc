"""The due-jobs runner: one runner at a time, outbox delivery with retries, session purge."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lib.services import jobs
from lib.services.accounts import auth
from lib.services.context import AppContext
from tests.unit.fakes import FakeClock, FakeMailer, FakeStore, FakeUnitOfWork, make_context

PASSWORD = "correct horse battery"


@pytest.fixture
def mailing_ctx(store: FakeStore, clock: FakeClock, mailer: FakeMailer) -> AppContext:
    return make_context(store, clock=clock, mailer=mailer)


def _queue(ctx: AppContext, *names: str) -> None:
    for name in names:
        auth.sign_up(ctx, email=f"{name}@example.com", display_name=name, password=PASSWORD)


def _hold_lock(store: FakeStore, holder: str, clock: FakeClock) -> None:
    with FakeUnitOfWork(store) as uow:
        assert uow.job_locks.acquire(jobs.LOCK_NAME, holder, clock(), clock() + jobs.LOCK_TTL)
        uow.commit()


def test_a_run_delivers_the_outbox_and_marks_it_sent(mailing_ctx: AppContext, store: FakeStore,
                                                     mailer: FakeMailer, clock: FakeClock) -> None:
    _queue(mailing_ctx, "ana", "bo")
    report = jobs.run_due_jobs(mailing_ctx, "runner-1")
    assert report is not None and report["emails_sent"] == 2
    assert [to for to, _, _ in mailer.sent] == ["ana@example.com", "bo@example.com"]
    assert all(m.sent_at == clock() and m.attempts == 1 and m.last_error is None
               for m in store.outbox_messages())
    assert jobs.run_due_jobs(mailing_ctx, "runner-1")["emails_sent"] == 0  # type: ignore[index]
    assert len(mailer.sent) == 2


def test_a_second_runner_gets_none_while_the_lock_is_held(mailing_ctx: AppContext, store: FakeStore,
                                                          mailer: FakeMailer, clock: FakeClock) -> None:
    _queue(mailing_ctx, "ana")
    _hold_lock(store, "runner-1", clock)
    assert jobs.run_due_jobs(mailing_ctx, "runner-2") is None
    assert mailer.sent == []
    assert store.outbox_messages()[0].sent_at is None


def test_a_lock_left_by_a_crashed_runner_lapses_after_its_ttl(mailing_ctx: AppContext, store: FakeStore,
                                                              clock: FakeClock) -> None:
    _hold_lock(store, "crashed", clock)
    clock.advance(jobs.LOCK_TTL)
    assert jobs.run_due_jobs(mailing_ctx, "runner-2") is None  # not yet: the lock runs up to its end
    clock.advance(seconds=1)
    assert jobs.run_due_jobs(mailing_ctx, "runner-2") is not None


def test_the_lock_is_released_after_a_run(mailing_ctx: AppContext, store: FakeStore, clock: FakeClock) -> None:
    assert jobs.run_due_jobs(mailing_ctx, "runner-1") is not None
    lock = store.state.job_locks[jobs.LOCK_NAME]
    assert (lock.holder, lock.locked_until, lock.last_run_at) == (None, None, clock())
    assert jobs.run_due_jobs(mailing_ctx, "runner-2") is not None


def test_the_lock_is_released_even_when_a_job_crashes(ctx: AppContext, store: FakeStore,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_purge(_ctx: AppContext) -> int:
        raise RuntimeError("database went away")

    monkeypatch.setattr(jobs, "purge_sessions", broken_purge)
    with pytest.raises(RuntimeError):
        jobs.run_due_jobs(ctx, "runner-1")
    assert store.state.job_locks[jobs.LOCK_NAME].holder is None


def test_mailer_failures_are_recorded_and_retried(mailing_ctx: AppContext, store: FakeStore,
                                                  mailer: FakeMailer, clock: FakeClock) -> None:
    _queue(mailing_ctx, "ana", "bo")
    mailer.fail_for = {"ana@example.com"}
    report = jobs.run_due_jobs(mailing_ctx, "runner-1")
    assert report is not None and report["emails_sent"] == 1
    ana, bo = store.outbox_messages()
    assert (ana.sent_at, ana.attempts) == (None, 1) and "550" in (ana.last_error or "")
    assert bo.sent_at == clock()

    mailer.fail_for = set()
    clock.advance(minutes=1)
    assert jobs.run_due_jobs(mailing_ctx, "runner-1")["emails_sent"] == 1  # type: ignore[index]
    ana = store.outbox_messages()[0]
    assert (ana.sent_at, ana.attempts, ana.last_error) == (clock(), 2, None)
    assert [to for to, _, _ in mailer.sent] == ["bo@example.com", "ana@example.com"]


def test_a_message_is_given_up_after_max_attempts(mailing_ctx: AppContext, store: FakeStore,
                                                  mailer: FakeMailer) -> None:
    _queue(mailing_ctx, "ana")
    mailer.fail_with = TimeoutError("smtp timed out")
    for _ in range(jobs.MAX_ATTEMPTS + 2):
        jobs.run_due_jobs(mailing_ctx, "runner-1")
    message = store.outbox_messages()[0]
    assert message.attempts == jobs.MAX_ATTEMPTS
    assert message.last_error == "smtp timed out"
    mailer.fail_with = None
    jobs.run_due_jobs(mailing_ctx, "runner-1")
    assert mailer.sent == [] and store.outbox_messages()[0].sent_at is None


def test_a_long_error_is_cut_to_fit(mailing_ctx: AppContext, store: FakeStore, mailer: FakeMailer) -> None:
    _queue(mailing_ctx, "ana")
    mailer.fail_with = ConnectionError("x" * 5000)
    jobs.run_due_jobs(mailing_ctx, "runner-1")
    assert len(store.outbox_messages()[0].last_error or "") == 500


def test_without_smtp_mail_stays_in_the_outbox(ctx: AppContext, store: FakeStore) -> None:
    _queue(ctx, "ana")
    report = jobs.run_due_jobs(ctx, "runner-1")
    assert report is not None and report["emails_sent"] == 0
    message = store.outbox_messages()[0]
    assert (message.sent_at, message.attempts) == (None, 0)


def test_expired_revoked_and_unclaimed_sessions_are_purged(ctx: AppContext, store: FakeStore,
                                                           clock: FakeClock) -> None:
    auth.sign_up(ctx, email="ana@example.com", display_name="Ana", password=PASSWORD)
    live = auth.sign_in(ctx, email="ana@example.com", password=PASSWORD)
    auth.claim_handoff(ctx, live.handoff_code)
    revoked = auth.sign_in(ctx, email="ana@example.com", password=PASSWORD)
    auth.claim_handoff(ctx, revoked.handoff_code)
    auth.sign_out(ctx, revoked.session_id)
    auth.sign_in(ctx, email="ana@example.com", password=PASSWORD)  # never claimed
    clock.advance(minutes=3)
    report = jobs.run_due_jobs(ctx, "runner-1")
    assert report is not None and report["sessions_purged"] == 2
    assert list(store.state.sessions) == [live.session_id]
    clock.advance(auth.SESSION_LIFETIME + timedelta(seconds=1))
    assert jobs.run_due_jobs(ctx, "runner-1")["sessions_purged"] == 1  # type: ignore[index]
    assert store.state.sessions == {}
