"""Webhooks signed by localstripe the way Stripe signs them: verified first, then read."""

from __future__ import annotations

import json

import pytest

from lib.adapters.payments.stripe_gateway import StripeGateway
from lib.domain.money import Money
from lib.services.payments.ports import InvalidWebhook, PaymentEventKind
from tests.payments.conftest import SECRET_KEY, WEBHOOK_SECRET
from tests.payments.test_stripe_gateway import save

USD = Money(1250, "USD")


@pytest.fixture
def hooked(localstripe, receiver, request):
    """localstripe delivers every event to our receiver, signed with WEBHOOK_SECRET."""
    localstripe.register_webhook(request.node.name[:40], receiver.url, WEBHOOK_SECRET)
    return receiver


def test_a_signed_payment_intent_succeeded(gateway, hooked):
    saved = save(gateway, "pm_card_visa")
    key = "preorder:11:charge:1"
    paid = gateway.charge(saved.customer_ref, saved.method_ref, USD, key, "Lamp", {"attempt_key": key})
    body, signature = hooked.wait_for("payment_intent.succeeded", paid.payment_ref)
    assert signature and signature.startswith("t=") and ",v1=" in signature
    event = gateway.parse_webhook(body, signature)
    assert event.id.startswith("evt_") and event.kind is PaymentEventKind.PAYMENT_SUCCEEDED
    assert event.provider_type == "payment_intent.succeeded"
    assert event.payment_ref == paid.payment_ref
    assert event.attempt_key == key
    assert event.amount == USD
    assert gateway.parse_webhook(body, signature) == event  # a replay parses the same; services de-duplicate on id


def test_a_signed_payment_failed_names_the_payment_and_the_error(gateway, hooked):
    saved = save(gateway, "pm_card_chargeCustomerFail")
    declined = gateway.charge(saved.customer_ref, saved.method_ref, USD, "preorder:12:charge:1", "Lamp",
                              {"attempt_key": "preorder:12:charge:1"})
    body, signature = hooked.wait_for("payment_intent.payment_failed", declined.payment_ref)
    event = gateway.parse_webhook(body, signature)
    assert event.kind is PaymentEventKind.PAYMENT_FAILED
    assert event.payment_ref == declined.payment_ref
    assert event.attempt_key == "preorder:12:charge:1"
    assert event.failure_code == "card_declined" and event.failure_message


def test_a_capture_is_announced_under_the_capture_key(gateway, hooked):
    saved = save(gateway, "pm_card_visa")
    held = gateway.authorize(saved.customer_ref, saved.method_ref, USD, "preorder:13:authorize", "Lamp",
                             {"attempt_key": "preorder:13:authorize"})
    gateway.capture(held.payment_ref, "preorder:13:capture:1")
    body, signature = hooked.wait_for("payment_intent.succeeded", held.payment_ref)
    assert gateway.parse_webhook(body, signature).attempt_key == "preorder:13:capture:1"


def test_tampering_a_wrong_secret_or_no_signature_is_refused(gateway, hooked, localstripe):
    saved = save(gateway, "pm_card_visa")
    paid = gateway.charge(saved.customer_ref, saved.method_ref, USD, "preorder:14:charge:1", "Lamp", {})
    body, signature = hooked.wait_for("payment_intent.succeeded", paid.payment_ref)
    event = json.loads(body)
    event["data"]["object"]["amount"] = 1
    tampered = json.dumps(event, indent=2, sort_keys=True).encode()
    for payload, header in [(tampered, signature), (body, None), (body, ""), (body, "t=1,v1=00"),
                            (body + b" ", signature), (b"not json", signature)]:
        with pytest.raises(InvalidWebhook):
            gateway.parse_webhook(payload, header)
    other_secret = StripeGateway(SECRET_KEY, webhook_secret="whsec_someone_else", api_base=localstripe.url)
    with pytest.raises(InvalidWebhook):
        other_secret.parse_webhook(body, signature)
    no_secret = StripeGateway(SECRET_KEY, api_base=localstripe.url)
    with pytest.raises(InvalidWebhook):
        no_secret.parse_webhook(body, signature)


def test_other_events_parse_without_a_payment(gateway, hooked):
    customer = gateway.create_customer("ana@example.com", "Ana", "customer:webhook")
    body, signature = hooked.wait_for("customer.created", customer)
    event = gateway.parse_webhook(body, signature)
    assert (event.kind, event.provider_type, event.payment_ref) == (PaymentEventKind.OTHER, "customer.created", None)
    assert event.attempt_key is None and event.amount is None


def signed(payload: bytes, secret: str = WEBHOOK_SECRET) -> str:
    """Stripe's scheme (what localstripe does too), for events localstripe never sends."""
    import hashlib
    import hmac
    import time

    stamp = int(time.time())
    digest = hmac.new(secret.encode(), b"%d.%s" % (stamp, payload), hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"


def test_a_charge_event_names_its_payment_intent():
    gateway = StripeGateway(SECRET_KEY, webhook_secret=WEBHOOK_SECRET)
    payload = json.dumps({"id": "evt_1", "object": "event", "type": "charge.refunded", "data": {"object": {
        "id": "ch_1", "object": "charge", "payment_intent": "pi_9", "amount_refunded": 500}}}).encode()
    event = gateway.parse_webhook(payload, signed(payload))
    assert (event.id, event.kind, event.provider_type, event.payment_ref) == (
        "evt_1", PaymentEventKind.OTHER, "charge.refunded", "pi_9")


@pytest.mark.parametrize("payload", [b"[]", b"not json", b'{"id": "evt_2"}', b""])
def test_a_well_signed_body_that_is_not_an_event_is_refused(payload):
    gateway = StripeGateway(SECRET_KEY, webhook_secret=WEBHOOK_SECRET)
    with pytest.raises(InvalidWebhook):
        gateway.parse_webhook(payload, signed(payload))


def test_an_expanded_payment_intent_in_a_charge_event():
    gateway = StripeGateway(SECRET_KEY, webhook_secret=WEBHOOK_SECRET)
    payload = json.dumps({"id": "evt_3", "object": "event", "type": "charge.succeeded", "data": {"object": {
        "id": "ch_3", "object": "charge", "payment_intent": {"id": "pi_3", "object": "payment_intent"}}}}).encode()
    assert gateway.parse_webhook(payload, signed(payload)).payment_ref == "pi_3"


def _event(**fields):  # type: ignore[no-untyped-def]
    body = {"id": "evt_9", "object": "event", "type": "payment_intent.succeeded",
            "data": {"object": {"id": "pi_9", "object": "payment_intent", "amount": 1250, "currency": "usd",
                                "metadata": {"attempt_key": "preorder:9:charge:1"}}}}
    obj = body["data"]["object"]
    for name, value in fields.items():
        (body if name in ("id", "type") else obj)[name] = value
    return json.dumps(body).encode()


@pytest.mark.parametrize("fields", [{"type": 7}, {"id": None}, {"id": ""}, {"metadata": "attempt"},
                                    {"last_payment_error": "declined"}, {"metadata": ["x"]}])
def test_a_signed_event_with_fields_of_the_wrong_type_is_refused(fields):
    gateway = StripeGateway(SECRET_KEY, webhook_secret=WEBHOOK_SECRET)
    with pytest.raises(InvalidWebhook):
        gateway.parse_webhook(_event(**fields), signed(_event(**fields)))


def test_a_well_formed_signed_event_is_read_in_neutral_terms():
    gateway = StripeGateway(SECRET_KEY, webhook_secret=WEBHOOK_SECRET)
    event = gateway.parse_webhook(_event(), signed(_event()))
    assert (event.kind, event.payment_ref, event.attempt_key, event.amount) == (
        PaymentEventKind.PAYMENT_SUCCEEDED, "pi_9", "preorder:9:charge:1", USD)
