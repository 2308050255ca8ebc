"""Due jobs, run by one runner at a time (a lock row in the database decides)."""

from __future__ import annotations

import logging
from datetime import timedelta

from lib.services.campaigns import settlement
from lib.services.commerce import checkout, orders, reviews
from lib.services.context import AppContext
from lib.services.ideas import lifecycle

log = logging.getLogger(__name__)
LOCK_NAME = "due-jobs"
LOCK_TTL = timedelta(minutes=5)
OUTBOX_BATCH = 100
MAX_ATTEMPTS = 5


def run_due_jobs(ctx: AppContext, holder: str) -> dict[str, int] | None:
    """Run every due job once; None when another runner holds the lock."""
    now = ctx.now()
    with ctx.uow() as uow:
        acquired = uow.job_locks.acquire(LOCK_NAME, holder, now, now + LOCK_TTL)
        uow.commit()
    if not acquired:
        return None
    try:
        report = {"ideas_expired": lifecycle.expire_ideas(ctx), "ideas_won": lifecycle.promote_reached(ctx),
                  **(settlement.settle_due(ctx) if ctx.payments is not None else {}),
                  "orders_synced": orders.sync_paid_preorders(ctx),
                  "purchases_released": checkout.release_stale_purchases(ctx),
                  "deliveries_confirmed": orders.confirm_due_deliveries(ctx),
                  "reminders_sent": reviews.send_running_low_reminders(ctx),
                  "emails_sent": deliver_outbox(ctx), "sessions_purged": purge_sessions(ctx)}
    finally:
        with ctx.uow() as uow:
            uow.job_locks.release(LOCK_NAME, holder, ctx.now())
            uow.commit()
    return report


def deliver_outbox(ctx: AppContext) -> int:
    """Send queued e-mail through SMTP when configured; otherwise it stays for admins to read."""
    if ctx.mailer is None:
        return 0
    with ctx.uow(write=False) as uow:
        pending = [m for m in uow.outbox.unsent(OUTBOX_BATCH) if m.attempts < MAX_ATTEMPTS]
    sent = 0
    for message in pending:
        try:
            ctx.mailer.send(message.to_address, message.subject, message.body)
        except Exception as exc:  # noqa: BLE001 - any SMTP failure is recorded and retried
            log.warning("outbox %s not delivered: %s", message.id, exc)
            with ctx.uow() as uow:
                uow.outbox.mark_failed(message.id, str(exc)[:500])
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
