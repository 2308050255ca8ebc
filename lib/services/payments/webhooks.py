"""Provider webhooks: verified first, de-duplicated by event id, dispatched through a table."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from lib.domain.campaigns import DEFAULT_GRACE, PreorderStatus
from lib.services.context import AppContext
from lib.services.notifications import notify
from lib.services.payments.ports import PaymentUnavailable, WebhookEvent

log = logging.getLogger(__name__)


def _attempt_for(uow: Any, event: WebhookEvent) -> dict[str, Any] | None:
    metadata = event.data.get("metadata") or {}
    key = metadata.get("attempt_key")
    found = uow.campaigns.attempt(key) if key else None
    if found is None and event.payment_ref:
        found = uow.campaigns.attempt_by_payment_ref(event.payment_ref)
    return found  # type: ignore[no-any-return]


def _succeeded(ctx: AppContext, uow: Any, event: WebhookEvent) -> None:
    attempt = _attempt_for(uow, event)
    if attempt is None:
        log.warning("webhook %s: payment %s is not one of ours", event.id, event.payment_ref)
        return
    now = ctx.now()
    if attempt["kind"] == "authorize":
        uow.campaigns.finish_attempt(attempt["idempotency_key"], "authorized", event.payment_ref, None, now)
        return
    uow.campaigns.finish_attempt(attempt["idempotency_key"], "succeeded", event.payment_ref, None, now)
    if uow.campaigns.move_preorder(attempt["preorder_id"], [PreorderStatus.CHARGING], PreorderStatus.PAID, now,
                                   payment_ref=event.payment_ref):
        preorder = uow.campaigns.preorder(attempt["preorder_id"])
        notify(ctx, uow, preorder.user_id, "preorder_charged", link=f"/campaign?id={preorder.campaign_id}",
               title="", amount=preorder.amount.format())


def _failed(ctx: AppContext, uow: Any, event: WebhookEvent) -> None:
    attempt = _attempt_for(uow, event)
    if attempt is None:
        log.warning("webhook %s: payment %s is not one of ours", event.id, event.payment_ref)
        return
    now = ctx.now()
    error = event.data.get("last_payment_error") or {}
    uow.campaigns.finish_attempt(attempt["idempotency_key"], "failed", event.payment_ref, error.get("code"), now)
    if uow.campaigns.move_preorder(attempt["preorder_id"], [PreorderStatus.CHARGING], PreorderStatus.PAYMENT_FAILED,
                                   now, grace_until=now + DEFAULT_GRACE,
                                   failure_message=str(error.get("message") or "")[:300]):
        preorder = uow.campaigns.preorder(attempt["preorder_id"])
        notify(ctx, uow, preorder.user_id, "preorder_payment_failed", link=f"/campaign?id={preorder.campaign_id}",
               title="", days=DEFAULT_GRACE.days)


HANDLERS: dict[str, Callable[[AppContext, Any, WebhookEvent], None]] = {
    "payment_intent.succeeded": _succeeded,
    "payment_intent.payment_failed": _failed,
}


def handle_webhook(ctx: AppContext, payload: bytes, signature: str | None) -> str:
    """'processed', 'duplicate' or 'ignored'; raises InvalidWebhook before anything is written."""
    if ctx.payments is None:
        raise PaymentUnavailable()
    event = ctx.payments.parse_webhook(payload, signature)
    with ctx.uow() as uow:
        if not uow.campaigns.record_webhook(event.id, event.type, ctx.now()):
            return "duplicate"
        handler = HANDLERS.get(event.type)
        if handler is None:
            log.info("webhook %s of type %s: nothing to do", event.id, event.type)
            uow.commit()
            return "ignored"
        handler(ctx, uow, event)
        uow.commit()
    return "processed"
