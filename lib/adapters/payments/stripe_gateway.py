"""The Stripe gateway: the only module that imports `stripe` (STYLE.md, example 6).

The key and the pinned API version are passed to one StripeClient (nothing global is set),
money is converted in one helper, every call that changes money or state sends an idempotency
key, and only provider-neutral dataclasses leave this module. Optional parameters are sent
only when set: Stripe-compatible test servers (localstripe) refuse parameters they do not know.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import stripe  # noqa: TID251 - this is the one module allowed to

from lib.adapters.payments.stripe_events import money_from_stripe, neutral_event, signed_at, stripe_id
from lib.domain.money import Money
from lib.services.payments.ports import (
    CardSetup,
    ChargeResult,
    InvalidWebhook,
    PaymentMethodRefused,
    PaymentUnavailable,
    RefundResult,
    SavedCard,
    WebhookEvent,
)

if TYPE_CHECKING:
    from stripe.params import (  # noqa: TID251 - types of the same library
        PaymentIntentCreateParams,
        RefundCreateParams,
        SetupIntentCreateParams,
    )

log = logging.getLogger(__name__)

# The API version stripe-python 16.1 is generated for; upgrade the library and this together.
API_VERSION = "2026-10-28.endive"
DEFAULT_JS_URL = "https://js.stripe.com/v3/"
# Stripe allows 300 s of age by default (construct_event checks it); the same margin the other way
# covers clock skew between Stripe and this server.
WEBHOOK_FUTURE_TOLERANCE_SECONDS = 300
# Stripe's own test payment methods for our documented test cards (test keys only), so a
# server-side flow (tests, scripts) can save a card without a browser.
TEST_CARD_METHODS = {
    "4242424242424242": "pm_card_visa",
    "4000000000000341": "pm_card_chargeCustomerFail",
    "4000000000000002": "pm_card_visa_chargeDeclined",
}
# Currencies whose Stripe amounts do not follow ISO 4217 minor units (Stripe's docs list them).
_NOT_ISO_MINOR_UNITS = frozenset({"ISK", "HUF", "TWD", "UGX"})


def stripe_amount(money: Money) -> tuple[int, str]:
    """Money -> Stripe's (amount, currency). Stripe counts in the currency's smallest unit, which is
    our minor unit: cents for USD, won for KRW (zero-decimal), so the integer passes unchanged."""
    if money.currency in _NOT_ISO_MINOR_UNITS:
        raise ValueError(f"{money.currency} amounts need Stripe's special rules; not supported")
    if money.amount <= 0:
        raise ValueError(f"a payment amount must be positive, not {money.amount}")
    return money.amount, money.currency.lower()


def _metadata(obj: Any) -> dict[str, Any]:
    """Stripe objects are not dicts in stripe-python 16: `.get` on one raises."""
    value = obj.metadata
    return dict(value.to_dict()) if value is not None else {}


def _failed(intent: Any) -> ChargeResult:
    error = getattr(intent, "last_payment_error", None)
    code = getattr(error, "code", None) if error else None
    message = getattr(error, "message", None) if error else None
    return ChargeResult("failed", intent.id, code or intent.status, message)


@contextmanager
def _unavailable_on_error() -> Iterator[None]:
    """Stripe errors that are not the card's fault become PaymentUnavailable (nothing is known
    about the outcome); CardError and our own errors pass through for the caller to map."""
    try:
        yield
    except stripe.CardError:
        raise
    except stripe.StripeError as exc:
        log.warning("Stripe call failed: %s %s (request %s)", exc.__class__.__name__, exc.http_status,
                    exc.request_id)
        raise PaymentUnavailable(exc.__class__.__name__) from exc


class StripeGateway:
    """Cards saved with a SetupIntent, charged off-session with a PaymentIntent."""

    name = "stripe"

    def __init__(self, secret_key: str, *, publishable_key: str | None = None, webhook_secret: str | None = None,
                 api_base: str | None = None, js_url: str | None = DEFAULT_JS_URL,
                 max_network_retries: int = 2, timeout_seconds: float = 30) -> None:
        self.test_mode = secret_key.startswith(("sk_test_", "rk_test_"))
        self.publishable_key = publishable_key
        self.js_url = js_url
        self._webhook_secret = webhook_secret
        self._client = stripe.StripeClient(
            secret_key, stripe_version=API_VERSION,
            base_addresses={"api": api_base.rstrip("/")} if api_base else None,
            max_network_retries=max_network_retries,
            http_client=stripe.new_default_http_client(timeout=timeout_seconds))

    # --- customers and cards -------------------------------------------------------------

    def create_customer(self, email: str, name: str, idempotency_key: str) -> str:
        with _unavailable_on_error():
            customer = self._client.v1.customers.create(
                {"email": email, **({"name": name} if name else {})}, {"idempotency_key": idempotency_key})
        return str(customer.id)

    def start_card_setup(self, customer_ref: str, idempotency_key: str) -> CardSetup:
        with _unavailable_on_error():
            # No payment-method-type list: the pinned API calls it `allowed_payment_method_types`,
            # localstripe knows only the old `payment_method_types`; Stripe.js's card element is a card.
            params: SetupIntentCreateParams = {"customer": customer_ref, "usage": "off_session"}
            intent = self._client.v1.setup_intents.create(params, {"idempotency_key": idempotency_key})
        return CardSetup(intent.id, intent.client_secret)

    def finish_card_setup(self, customer_ref: str, setup_ref: str, card: str | None) -> SavedCard:
        """Read back the SetupIntent the browser confirmed; with `card` (a payment method id, or a
        test card number with a test key) confirm it here first."""
        with _unavailable_on_error():
            intent = self._client.v1.setup_intents.retrieve(setup_ref)
            if stripe_id(intent.customer) != customer_ref:  # a setup reference that is not this user's
                raise PaymentMethodRefused("setup of another customer", reason="invalid_setup")
            if card is not None and intent.status == "requires_payment_method":
                try:
                    intent = self._client.v1.setup_intents.confirm(
                        setup_ref, {"payment_method": self._method_for(card)},
                        {"idempotency_key": f"{setup_ref}:confirm"})
                except stripe.CardError as exc:
                    raise PaymentMethodRefused(exc.user_message or "declined", reason=exc.code or "declined") from exc
            method_ref = stripe_id(intent.payment_method)
            if intent.status != "succeeded" or not method_ref:
                error = getattr(intent, "last_setup_error", None)  # localstripe omits the field
                raise PaymentMethodRefused(getattr(error, "message", None) or f"setup {intent.status}",
                                           reason=getattr(error, "code", None) or intent.status)
            method = self._client.v1.payment_methods.retrieve(method_ref)
        details = method.card
        return SavedCard(customer_ref, method.id, str(details.brand) if details else "card",
                         str(details.last4) if details else "")

    def _method_for(self, card: str) -> str:
        card = "".join(card.split())
        if card.startswith("pm_"):
            return card
        if self.test_mode and card in TEST_CARD_METHODS:
            return TEST_CARD_METHODS[card]
        raise PaymentMethodRefused("card numbers are entered in Stripe.js, not sent here", reason="invalid_number")

    # --- money -----------------------------------------------------------------------------

    def charge(self, customer_ref: str, method_ref: str, amount: Money, idempotency_key: str,
               description: str, metadata: dict[str, str]) -> ChargeResult:
        return self._pay(customer_ref, method_ref, amount, idempotency_key, description, metadata, manual=False)

    def authorize(self, customer_ref: str, method_ref: str, amount: Money, idempotency_key: str,
                  description: str, metadata: dict[str, str]) -> ChargeResult:
        return self._pay(customer_ref, method_ref, amount, idempotency_key, description, metadata, manual=True)

    def _pay(self, customer_ref: str, method_ref: str, amount: Money, idempotency_key: str,
             description: str, metadata: dict[str, str], *, manual: bool) -> ChargeResult:
        value, currency = stripe_amount(amount)
        # The description travels in metadata: localstripe refuses a `description` parameter.
        params: PaymentIntentCreateParams = {
            "customer": customer_ref, "payment_method": method_ref, "amount": value, "currency": currency,
            "off_session": True, "confirm": True,
            "metadata": {**metadata, **({"description": description[:500]} if description else {})}}
        if manual:
            params["capture_method"] = "manual"
        try:
            with _unavailable_on_error():
                intent = self._client.v1.payment_intents.create(params, {"idempotency_key": idempotency_key})
        except stripe.CardError as exc:
            return ChargeResult("failed", self._intent_of(exc), exc.code or "card_declined",
                                exc.user_message or "The card was declined.")
        return self._outcome(intent)

    def _intent_of(self, exc: stripe.CardError) -> str | None:
        """The PaymentIntent a decline belongs to: Stripe names it; localstripe names only the charge."""
        error = exc.error
        if error is None:
            return None
        if error.payment_intent is not None:
            return stripe_id(error.payment_intent)
        if error.charge:
            try:
                return stripe_id(self._client.v1.charges.retrieve(error.charge).payment_intent)
            except stripe.StripeError:
                return None
        return None

    def _outcome(self, intent: Any) -> ChargeResult:
        if intent.status == "succeeded":
            return ChargeResult("succeeded", intent.id)
        if intent.status == "requires_capture":
            return ChargeResult("authorized", intent.id)
        if intent.status == "canceled":
            return ChargeResult("failed", intent.id, "hold_canceled", "The hold on this card was cancelled.")
        if intent.status in ("requires_payment_method", "requires_action", "requires_confirmation"):
            return _failed(intent)
        # processing: the outcome comes later (a webhook, or find_charge on the next run)
        log.warning("payment %s is %s: outcome not known yet", intent.id, intent.status)
        raise PaymentUnavailable(f"payment {intent.id} is {intent.status}")

    def capture(self, payment_ref: str, idempotency_key: str) -> ChargeResult:
        """Capture a hold. The attempt key goes on the PaymentIntent first, so its webhook and
        find_charge name this capture rather than the authorisation."""
        with _unavailable_on_error():
            self._client.v1.payment_intents.update(payment_ref, {"metadata": {"attempt_key": idempotency_key}},
                                                   {"idempotency_key": f"{idempotency_key}:tag"})
            try:
                intent = self._client.v1.payment_intents.capture(payment_ref,
                                                                 options={"idempotency_key": idempotency_key})
            except stripe.CardError as exc:
                return ChargeResult("failed", payment_ref, exc.code or "card_declined", exc.user_message)
            except stripe.InvalidRequestError:  # already captured by an earlier run, or cancelled: read the truth
                intent = self._client.v1.payment_intents.retrieve(payment_ref)
        return self._outcome(intent)

    def find_charge(self, customer_ref: str, attempt_key: str) -> ChargeResult | None:
        """Look for a charge or capture sent with this attempt key among the customer's charges
        (strongly consistent, unlike Stripe's search). None: nothing was charged, try again."""
        if not customer_ref:
            return None
        best: ChargeResult | None = None
        with _unavailable_on_error():
            charges = self._client.v1.charges.list(
                {"customer": customer_ref, "limit": 100, "expand": ["data.payment_intent"]})
            for charge in charges.auto_paging_iter():
                intent = charge.payment_intent
                if intent is None or isinstance(intent, str) or _metadata(intent).get("attempt_key") != attempt_key:
                    continue
                if intent.status == "succeeded":
                    return ChargeResult("succeeded", intent.id)
                if intent.status == "requires_payment_method":
                    best = best or _failed(intent)
        return best

    def release(self, payment_ref: str, idempotency_key: str) -> None:
        with _unavailable_on_error():
            try:
                self._client.v1.payment_intents.cancel(payment_ref, options={"idempotency_key": idempotency_key})
            except stripe.InvalidRequestError:
                status = self._client.v1.payment_intents.retrieve(payment_ref).status
                if status != "canceled":
                    log.error("cannot release payment %s: it is %s", payment_ref, status)
                    raise

    def refund(self, payment_ref: str, amount: Money | None, idempotency_key: str) -> RefundResult:
        params: RefundCreateParams = {"payment_intent": payment_ref}
        if amount is not None:
            params["amount"] = stripe_amount(amount)[0]
        with _unavailable_on_error():
            refund = self._client.v1.refunds.create(params, {"idempotency_key": idempotency_key})
        return RefundResult(refund.id, money_from_stripe(refund.amount, refund.currency))

    # --- webhooks ------------------------------------------------------------------------

    def parse_webhook(self, payload: bytes, signature: str | None) -> WebhookEvent:
        """Verify the signature on the raw body before anything is read from it."""
        if not self._webhook_secret:
            raise InvalidWebhook("no webhook signing secret is configured")
        try:
            event = stripe.Webhook.construct_event(payload, signature, self._webhook_secret)
            data = event.data.object.to_dict()
        except (stripe.SignatureVerificationError, ValueError, KeyError, AttributeError, TypeError) as exc:
            raise InvalidWebhook(str(exc) or exc.__class__.__name__) from exc
        # construct_event refuses only timestamps older than its tolerance; a signed `t=` far in
        # the future (a leaked secret, a badly wrong clock) is refused here.
        if signed_at(signature or "") > time.time() + WEBHOOK_FUTURE_TOLERANCE_SECONDS:
            raise InvalidWebhook("the webhook's timestamp is in the future")
        return neutral_event(getattr(event, "id", None), getattr(event, "type", None), data)
