"""Provider webhooks: verified first, de-duplicated by event id, dispatched through a table."""

from __future__ import annotations

import logging
from collections.abc import Callable

from lib.services.campaigns.charges import record_charge_outcome
from lib.services.campaigns.ports import PaymentAttempt
from lib.services.context import AppContext
from lib.services.payments.ports import ChargeResult, PaymentEventKind, PaymentUnavailable, WebhookEvent
from lib.services.uow import AbstractUnitOfWork

log = logging.getLogger(__name__)


def _attempt_for(uow: AbstractUnitOfWork, event: WebhookEvent) -> PaymentAttempt | None:
    found = uow.campaigns.attempt(event.attempt_key) if event.attempt_key else None
    if found is None and event.payment_ref:
        found = uow.campaigns.attempt_by_payment_ref(event.payment_ref)
    return found


def _outcome(ctx: AppContext, uow: AbstractUnitOfWork, event: WebhookEvent) -> None:
    attempt = _attempt_for(uow, event)
    if attempt is None:
        log.warning("webhook %s: payment %s is not one of ours", event.id, event.payment_ref)
        return
    if event.kind is PaymentEventKind.PAYMENT_FAILED:
        result = ChargeResult("failed", event.payment_ref, event.failure_code, event.failure_message)
    else:
        result = ChargeResult("authorized" if attempt.kind == "authorize" else "succeeded", event.payment_ref)
    record_charge_outcome(ctx, uow, attempt.idempotency_key, result)


HANDLERS: dict[PaymentEventKind, Callable[[AppContext, AbstractUnitOfWork, WebhookEvent], None]] = {
    PaymentEventKind.PAYMENT_SUCCEEDED: _outcome,
    PaymentEventKind.PAYMENT_FAILED: _outcome,
}


def handle_webhook(ctx: AppContext, payload: bytes, signature: str | None) -> str:
    """'processed', 'duplicate' or 'ignored'; raises InvalidWebhook before anything is written."""
    if ctx.payments is None:
        raise PaymentUnavailable()
    event = ctx.payments.parse_webhook(payload, signature)
    with ctx.uow() as uow:
        if not uow.campaigns.record_webhook(event.id, event.provider_type, ctx.now()):
            return "duplicate"
        handler = HANDLERS.get(event.kind)
        if handler is None:
            log.info("webhook %s of type %s: nothing to do", event.id, event.provider_type)
            uow.commit()
            return "ignored"
        handler(ctx, uow, event)
        uow.commit()
    return "processed"
