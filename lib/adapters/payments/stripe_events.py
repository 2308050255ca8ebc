"""Stripe's webhook events read into provider-neutral terms (no `stripe` import: plain data only)."""

from __future__ import annotations

from typing import Any

from lib.domain.money import Money
from lib.services.payments.ports import InvalidWebhook, PaymentEventKind, WebhookEvent


def money_from_stripe(amount: int, currency: str) -> Money:
    return Money(int(amount), currency.upper())


def stripe_id(value: Any) -> str | None:
    """An id from a field Stripe returns either as an id or as an expanded object."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dict):  # an expanded object inside a webhook's plain data
        return str(value["id"]) if value.get("id") else None
    return str(value.id)


def signed_at(header: str) -> int:
    """The (newest) `t=` timestamp of a Stripe-Signature header; 0 when there is none."""
    stamps = [part.strip()[2:] for part in header.split(",") if part.strip().startswith("t=")]
    return max((int(t) for t in stamps if t.isascii() and t.isdigit() and len(t) < 16), default=0)


# Stripe's event names -> what they mean to Cocreate; every other event is OTHER (logged only).
EVENT_KINDS = {
    "payment_intent.succeeded": PaymentEventKind.PAYMENT_SUCCEEDED,
    "payment_intent.payment_failed": PaymentEventKind.PAYMENT_FAILED,
}


def neutral_event(event_id: Any, event_type: Any, data: Any) -> WebhookEvent:
    """A verified Stripe event in provider-neutral terms; InvalidWebhook when a field has the wrong type
    (a signed body is trusted to come from Stripe, not to be well-formed)."""
    if not isinstance(event_id, str) or not event_id or not isinstance(event_type, str) or not isinstance(data, dict):
        raise InvalidWebhook("an event needs a string id and type and an object")
    metadata = data.get("metadata") or {}
    error = data.get("last_payment_error") or {}
    if not isinstance(metadata, dict) or not isinstance(error, dict):
        raise InvalidWebhook("metadata and last_payment_error must be objects")
    try:
        if event_type.startswith("payment_intent."):
            payment_ref = stripe_id(data.get("id"))
        elif event_type.startswith("charge."):
            payment_ref = stripe_id(data.get("payment_intent"))
        else:
            payment_ref = None
        amount, currency = data.get("amount"), data.get("currency")
        money = (money_from_stripe(amount, currency)
                 if isinstance(amount, int) and isinstance(currency, str) and currency else None)
    except (KeyError, AttributeError, TypeError, ValueError) as exc:
        raise InvalidWebhook(str(exc) or exc.__class__.__name__) from exc
    key, code, message = metadata.get("attempt_key"), error.get("code"), error.get("message")
    return WebhookEvent(
        id=event_id, kind=EVENT_KINDS.get(event_type, PaymentEventKind.OTHER), provider_type=event_type,
        payment_ref=payment_ref, attempt_key=key if isinstance(key, str) and key else None, amount=money,
        failure_code=code if isinstance(code, str) else None,
        failure_message=message[:300] if isinstance(message, str) else None)
