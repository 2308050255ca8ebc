"""Due jobs, run by one runner at a time (a lock row in the database decides).

Each job runs on its own: one that fails is logged, named in the report (`failed`) and retried by a
later run after a backoff that doubles with each failure in a row, while the others carry on. The
lock is short (LOCK_TTL) and the runner renews it while it works (a heartbeat between jobs and
between the steps of long jobs), so a killed runner blocks the jobs for about a minute at most, and a
runner that finds its lock taken by another stops at its next step."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from lib.domain.accounts import RESET_THROTTLE, SIGN_UP_THROTTLE, VERIFY_THROTTLE
from lib.services.campaigns import settlement
from lib.services.commerce import checkout, orders, reviews
from lib.services.context import AppContext
from lib.services.ideas import lifecycle
from lib.services.messaging.mail import MAX_ATTEMPTS
from lib.services.ports import JobRun

log = logging.getLogger(__name__)
LOCK_NAME = "due-jobs"
LOCK_TTL = timedelta(seconds=60)
RENEW_EVERY = LOCK_TTL / 3  # a working runner renews its lock at least this often (at its next step)
OUTBOX_BATCH = 100
RETRY_BASE = timedelta(seconds=30)  # an e-mail waits 1, 2, 4, 8 minutes between attempts
RETRY_CAP = timedelta(hours=1)
JOB_RETRY_BASE = timedelta(minutes=1)  # a failed job is tried again after 1, 2, 4 ... minutes
JOB_RETRY_CAP = timedelta(minutes=30)

JobReport = dict[str, int | list[str]]
KeepGoing = Callable[[], bool]


def backoff(failures: int, base: timedelta, cap: timedelta) -> timedelta:
    """How long to wait after `failures` failures in a row: base × 2^failures, at most `cap`."""
    return min(base * (1 << min(failures, 30)), cap)


class Lease:
    """This runner's hold on the lock row, renewed while the run works (a conditional update that
    succeeds only while the row still names this holder)."""

    def __init__(self, ctx: AppContext, holder: str, renewed_at: datetime) -> None:
        self.ctx, self.holder, self.renewed_at, self.lost = ctx, holder, renewed_at, False

    def keep(self) -> bool:
        """Renew the lock when due; False once it is no longer ours (the run must stop)."""
        if self.lost:
            return False
        now = self.ctx.now()
        if now - self.renewed_at < RENEW_EVERY:
            return True
        with self.ctx.uow() as uow:
            held = uow.job_locks.extend(LOCK_NAME, self.holder, now, now + LOCK_TTL)
            uow.commit()
        if held:
            self.renewed_at = now
        else:
            self.lost = True
            log.error("due-jobs lock of %s was taken over: this run stops here", self.holder)
        return held


Job = Callable[[AppContext, Lease], dict[str, int]]

# In the order they run; each entry names a job as the report and the logs do.
JOBS: tuple[tuple[str, Job], ...] = (
    ("expire_ideas", lambda ctx, _lease: {"ideas_expired": lifecycle.expire_ideas(ctx)}),
    ("promote_ideas", lambda ctx, _lease: {"ideas_won": lifecycle.promote_reached(ctx)}),
    ("settlement", lambda ctx, lease: settlement.settle_due(ctx, lease.keep) if ctx.payments is not None else {}),
    ("sync_orders", lambda ctx, _lease: {"orders_synced": orders.sync_paid_preorders(ctx)}),
    ("release_purchases", lambda ctx, _lease: {"purchases_released": checkout.release_stale_purchases(ctx)}),
    ("confirm_deliveries", lambda ctx, _lease: {"deliveries_confirmed": orders.confirm_due_deliveries(ctx)}),
    ("reminders", lambda ctx, _lease: {"reminders_sent": reviews.send_running_low_reminders(ctx)}),
    ("outbox", lambda ctx, lease: {"emails_sent": deliver_outbox(ctx, lease.keep)}),
    ("sessions", lambda ctx, _lease: {"sessions_purged": purge_sessions(ctx)}),
    ("throttles", lambda ctx, _lease: {"throttles_purged": purge_throttles(ctx)}),
)


def run_due_jobs(ctx: AppContext, holder: str) -> JobReport | None:
    """Run every due job once; None when another runner holds the lock. The report counts what each
    job did, names the jobs that failed (`failed`) and those still backing off from a failure or left
    for the next run because the lock was lost (`deferred`)."""
    now = ctx.now()
    with ctx.uow() as uow:
        acquired = uow.job_locks.acquire(LOCK_NAME, holder, now, now + LOCK_TTL)
        uow.commit()
    if not acquired:
        return None
    lease = Lease(ctx, holder, now)
    report: JobReport = {}
    failed: list[str] = []
    deferred: list[str] = []
    try:
        with ctx.uow(write=False) as uow:
            backing_off = {run.name: run for run in uow.job_locks.failed_runs()}
        for name, job in JOBS:
            last = backing_off.get(name)
            if not lease.keep() or (last is not None and last.next_run_at is not None
                                    and ctx.now() < last.next_run_at):
                deferred.append(name)
                continue
            try:
                report.update(job(ctx, lease))
            except Exception as exc:  # one job's failure must not stop the others
                log.exception("due job %s failed", name)
                failed.append(name)
                _record_failure(ctx, name, last, exc)
            else:
                if last is not None:
                    _record_success(ctx, name)
    finally:
        with ctx.uow() as uow:
            uow.job_locks.release(LOCK_NAME, holder, ctx.now())
            uow.commit()
    report["failed"], report["deferred"] = failed, deferred
    return report


def _record_failure(ctx: AppContext, name: str, last: JobRun | None, exc: Exception) -> None:
    failures = (last.failures if last is not None else 0) + 1
    now = ctx.now()
    try:
        with ctx.uow() as uow:
            uow.job_locks.record_failure(name, failures, now, now + backoff(failures - 1, JOB_RETRY_BASE,
                                                                           JOB_RETRY_CAP),
                                         f"{type(exc).__name__}: {exc}"[:500])
            uow.commit()
    except Exception:  # the failure is logged already; the other jobs still run
        log.exception("could not record the failure of due job %s", name)


def _record_success(ctx: AppContext, name: str) -> None:
    try:
        with ctx.uow() as uow:
            uow.job_locks.record_success(name)
            uow.commit()
    except Exception:  # the job ran; its old backoff is cleared next time
        log.exception("could not clear the backoff of due job %s", name)


def deliver_outbox(ctx: AppContext, keep_going: KeepGoing | None = None) -> int:
    """Send queued e-mail through SMTP when configured; otherwise it stays for admins to read.
    A failure is retried after a growing pause; after MAX_ATTEMPTS it is a dead letter that admins
    see (and may send again) on the outbox page. Dead letters never hold up new mail."""
    if ctx.mailer is None:
        return 0
    with ctx.uow(write=False) as uow:
        pending = uow.outbox.due(ctx.now(), MAX_ATTEMPTS, OUTBOX_BATCH)
    sent = 0
    for message in pending:
        if keep_going is not None and not keep_going():
            break
        try:
            ctx.mailer.send(message.to_address, message.subject, message.body)
        except Exception as exc:  # noqa: BLE001 - any SMTP failure is recorded and retried
            log.warning("outbox %s not delivered: %s", message.id, exc)
            now = ctx.now()
            with ctx.uow() as uow:
                uow.outbox.mark_failed(message.id, str(exc)[:500],
                                       now + backoff(message.attempts + 1, RETRY_BASE, RETRY_CAP))
                uow.commit()
            continue
        with ctx.uow() as uow:
            uow.outbox.mark_sent(message.id, ctx.now())
            uow.commit()
        sent += 1
    return sent


def purge_sessions(ctx: AppContext) -> int:
    with ctx.uow() as uow:
        purged = uow.sessions.purge_expired(ctx.now())
        uow.commit()
    return purged


def purge_throttles(ctx: AppContext) -> int:
    """Counters whose window has ended count for nothing: drop them."""
    longest = max(rule.window for rule in (SIGN_UP_THROTTLE, RESET_THROTTLE, VERIFY_THROTTLE))
    with ctx.uow() as uow:
        purged = uow.throttles.purge(ctx.now() - longest)
        uow.commit()
    return purged
