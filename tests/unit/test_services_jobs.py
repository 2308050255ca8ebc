"""The due-jobs runner: one runner at a time, outbox delivery with retries, session purge."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lib.services import jobs
from lib.services.accounts import auth, email_links
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
    report = jobs.run_due_jobs(ctx, "runner-1")
    assert report is not None and report["failed"] == ["sessions"]
    assert store.state.job_locks[jobs.LOCK_NAME].holder is None


class ProcessDying(BaseException):
    """Stands for the runner being stopped mid-job (nothing catches it)."""


def test_the_lock_is_released_when_the_run_itself_is_stopped(ctx: AppContext, store: FakeStore,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def stopped(_ctx: AppContext) -> int:
        raise ProcessDying()

    monkeypatch.setattr(jobs, "purge_sessions", stopped)
    with pytest.raises(ProcessDying):
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
                                                  mailer: FakeMailer, clock: FakeClock) -> None:
    _queue(mailing_ctx, "ana")
    mailer.fail_with = TimeoutError("smtp timed out")
    for _ in range(jobs.MAX_ATTEMPTS + 2):
        jobs.run_due_jobs(mailing_ctx, "runner-1")
        clock.advance(jobs.RETRY_CAP)  # past any backoff
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


# ---- each job on its own, failures backed off -----------------------------------------------------


def test_a_failing_job_does_not_stop_the_others(mailing_ctx: AppContext, mailer: FakeMailer,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_ctx: AppContext) -> int:
        raise RuntimeError("idea table is locked")

    monkeypatch.setattr(jobs.lifecycle, "expire_ideas", broken)
    _queue(mailing_ctx, "ana")
    report = jobs.run_due_jobs(mailing_ctx, "runner-1")
    assert report is not None
    assert report["failed"] == ["expire_ideas"] and report["deferred"] == []
    assert "ideas_expired" not in report
    assert report["ideas_won"] == 0 and report["emails_sent"] == 1 and report["sessions_purged"] == 0
    assert [to for to, _, _ in mailer.sent] == ["ana@example.com"]


def test_a_failed_job_backs_off_and_is_retried_until_it_works(ctx: AppContext, store: FakeStore, clock: FakeClock,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []

    def flaky(_ctx: AppContext) -> int:
        calls.append(clock())
        if len(calls) < 3:
            raise RuntimeError(f"failure {len(calls)}")
        return 2

    monkeypatch.setattr(jobs.lifecycle, "promote_reached", flaky)
    assert jobs.run_due_jobs(ctx, "r")["failed"] == ["promote_ideas"]  # type: ignore[index]
    run = store.state.job_runs["promote_ideas"]
    assert (run.failures, run.next_run_at, run.last_error) == (1, clock() + jobs.JOB_RETRY_BASE,
                                                               "RuntimeError: failure 1")

    report = jobs.run_due_jobs(ctx, "r")  # still backing off: not tried, the rest runs
    assert report is not None and report["deferred"] == ["promote_ideas"] and report["failed"] == []
    assert len(calls) == 1 and report["sessions_purged"] == 0

    clock.advance(jobs.JOB_RETRY_BASE)
    assert jobs.run_due_jobs(ctx, "r")["failed"] == ["promote_ideas"]  # type: ignore[index]
    assert store.state.job_runs["promote_ideas"].next_run_at == clock() + 2 * jobs.JOB_RETRY_BASE
    clock.advance(jobs.JOB_RETRY_BASE)
    assert jobs.run_due_jobs(ctx, "r")["deferred"] == ["promote_ideas"]  # type: ignore[index]
    clock.advance(jobs.JOB_RETRY_BASE)
    report = jobs.run_due_jobs(ctx, "r")
    assert report is not None and report["ideas_won"] == 2 and report["failed"] == report["deferred"] == []
    assert "promote_ideas" not in store.state.job_runs  # working again: no backoff left
    assert len(calls) == 3


def test_job_backoff_doubles_up_to_its_cap() -> None:
    waits = [jobs.backoff(n, jobs.JOB_RETRY_BASE, jobs.JOB_RETRY_CAP) for n in range(8)]
    assert waits[:5] == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16)]
    assert waits[5:] == [jobs.JOB_RETRY_CAP] * 3
    assert jobs.backoff(10**6, jobs.RETRY_BASE, jobs.RETRY_CAP) == jobs.RETRY_CAP


# ---- e-mail backoff ---------------------------------------------------------------------------------


def test_a_failed_email_waits_longer_after_each_attempt(mailing_ctx: AppContext, store: FakeStore,
                                                        mailer: FakeMailer, clock: FakeClock) -> None:
    _queue(mailing_ctx, "ana")
    mailer.fail_with = ConnectionError("421 try later")
    started = clock()
    tried_at = []
    for _ in range(10 * 60):  # ten hours, a run every minute
        before = store.outbox_messages()[0].attempts
        jobs.run_due_jobs(mailing_ctx, "runner-1")
        if store.outbox_messages()[0].attempts > before:
            tried_at.append(clock() - started)
        clock.advance(minutes=1)
    assert tried_at == [timedelta(minutes=m) for m in (0, 1, 3, 7, 15)]  # waits of 1, 2, 4, 8 minutes
    assert store.outbox_messages()[0].attempts == jobs.MAX_ATTEMPTS  # then a dead letter


# ---- the lock's heartbeat ---------------------------------------------------------------------------


def _slow_job(clock: FakeClock, seconds: float, during: list[object], then: object = None) -> object:
    """A job that takes `seconds` (on the injected clock) and runs `then()` halfway through."""
    def job(_ctx: AppContext) -> int:
        clock.advance(seconds=seconds / 2)
        if callable(then):
            during.append(then())
        clock.advance(seconds=seconds / 2)
        return 0
    return job


def test_a_long_run_keeps_its_lock_alive(ctx: AppContext, store: FakeStore, clock: FakeClock,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Two jobs of 50 s each outlive the 60 s the lock was first taken for: the heartbeat between
    them extends it, so a second runner is refused throughout, and it gets the lock right after."""
    assert timedelta(seconds=60) >= jobs.LOCK_TTL, "a killed runner costs a minute at most"
    seen: list[object] = []
    other = lambda: jobs.run_due_jobs(ctx, "runner-2")  # noqa: E731
    monkeypatch.setattr(jobs.lifecycle, "expire_ideas", _slow_job(clock, 50, seen, other))
    monkeypatch.setattr(jobs.reviews, "send_running_low_reminders", _slow_job(clock, 50, seen, other))
    started = clock()

    report = jobs.run_due_jobs(ctx, "runner-1")

    assert report is not None and report["failed"] == report["deferred"] == []
    assert seen == [None, None]  # at +25 s and at +75 s (past the first expiry at +60 s)
    assert clock() - started == timedelta(seconds=100)
    assert store.state.job_locks[jobs.LOCK_NAME].holder is None
    assert jobs.run_due_jobs(ctx, "runner-2") is not None


def test_a_crashed_runner_blocks_the_jobs_for_a_minute_at_most(ctx: AppContext, store: FakeStore,
                                                               clock: FakeClock) -> None:
    _hold_lock(store, "killed", clock)
    clock.advance(seconds=59)
    assert jobs.run_due_jobs(ctx, "runner-2") is None
    clock.advance(seconds=2)
    assert jobs.run_due_jobs(ctx, "runner-2") is not None


def test_a_runner_that_lost_its_lock_stops_and_leaves_the_new_holder_alone(
        ctx: AppContext, store: FakeStore, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """A job stuck for longer than the lock lasts (no heartbeat possible meanwhile): another runner
    takes the lock; the first notices at its next step and runs nothing more."""
    ran: list[str] = []

    def stuck(_ctx: AppContext) -> int:
        clock.advance(jobs.LOCK_TTL + timedelta(seconds=1))
        _hold_lock(store, "runner-2", clock)
        return 0

    def purge(_ctx: AppContext) -> int:
        ran.append("sessions")
        return 0

    monkeypatch.setattr(jobs.lifecycle, "promote_reached", stuck)
    monkeypatch.setattr(jobs, "purge_sessions", purge)
    report = jobs.run_due_jobs(ctx, "runner-1")
    assert report is not None and ran == []
    assert report["deferred"] == [name for name, _ in jobs.JOBS[2:]]
    lock = store.state.job_locks[jobs.LOCK_NAME]
    assert lock.holder == "runner-2"  # not released by the runner that lost it


def test_throttle_counters_are_dropped_once_their_window_has_ended(store: FakeStore, ctx: AppContext,
                                                                   clock: FakeClock) -> None:
    email_links.request_password_reset(ctx, "nobody@example.com", client="198.51.100.7")
    assert len(store.state.throttles) == 2  # one for the address, one for the client
    assert jobs.run_due_jobs(ctx, "runner-1")["throttles_purged"] == 0  # type: ignore[index]
    clock.advance(hours=1, seconds=1)
    assert jobs.run_due_jobs(ctx, "runner-1")["throttles_purged"] == 2  # type: ignore[index]
    assert store.state.throttles == {}
