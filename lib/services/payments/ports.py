"""The payment-gateway port: what campaigns and the shop need from a payment provider.

Two adapters implement it: the local test-mode gateway (no keys, test card numbers) and the
Stripe gateway (stripe-python; exercised against localstripe in the tests). Amounts are always
Money: integer minor units with a currency (KRW has none, USD has cents).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, Protocol

from lib.domain.errors import DomainError
from lib.domain.money import Money


class PaymentMethodRefused(DomainError):
    """The provider would not save this card (declined, expired, invalid)."""

    key = "error.card_refused"


class PaymentUnavailable(DomainError):
    """The provider could not be reached or answered with an error that is not the card's fault."""

    key = "error.payments_unavailable"


class InvalidWebhook(Exception):
    """A webhook whose signature does not verify (or that cannot be parsed)."""


@dataclass(frozen=True)
class CardSetup:
    """A started card setup the browser completes (Stripe.js confirmCardSetup), if the gateway needs one."""

    setup_ref: str
    client_secret: str | None


@dataclass(frozen=True)
class SavedCard:
    customer_ref: str
    method_ref: str
    brand: str
    last4: str


@dataclass(frozen=True)
class ChargeResult:
    status: Literal["succeeded", "authorized", "failed"]
    payment_ref: str | None
    failure_code: str | None = None
    failure_message: str | None = None


@dataclass(frozen=True)
class RefundResult:
    refund_ref: str
    amount: Money


class PaymentEventKind(StrEnum):
    """What a provider's event means to us; the gateway maps its own event names onto these."""

    PAYMENT_SUCCEEDED = "payment_succeeded"
    PAYMENT_FAILED = "payment_failed"
    OTHER = "other"


@dataclass(frozen=True)
class WebhookEvent:
    """A verified provider event in provider-neutral terms."""

    id: str
    kind: PaymentEventKind
    provider_type: str  # the provider's own name for the event: recorded and logged, never dispatched on
    payment_ref: str | None = None
    attempt_key: str | None = None  # the key our charge carried in its metadata, if any
    amount: Money | None = None
    failure_code: str | None = None
    failure_message: str | None = None


class PaymentGateway(Protocol):
    name: str
    test_mode: bool
    publishable_key: str | None  # for the browser side (Stripe.js); None for the local gateway
    js_url: str | None  # where Stripe.js is loaded from (a setting; localstripe serves a fake)

    def create_customer(self, email: str, name: str, idempotency_key: str) -> str: ...

    def start_card_setup(self, customer_ref: str, idempotency_key: str) -> CardSetup: ...

    def finish_card_setup(self, customer_ref: str, setup_ref: str, card: str | None) -> SavedCard:
        """Local gateway: `card` is the typed test card number. Stripe: the SetupIntent the
        browser confirmed is read back (card is None). Raises PaymentMethodRefused."""
        ...

    def charge(self, customer_ref: str, method_ref: str, amount: Money, idempotency_key: str,
               description: str, metadata: dict[str, str]) -> ChargeResult:
        """Charge a saved card off-session, at once. A decline is a ChargeResult('failed'), not
        an exception; PaymentUnavailable means nothing is known about the outcome."""
        ...

    def authorize(self, customer_ref: str, method_ref: str, amount: Money, idempotency_key: str,
                  description: str, metadata: dict[str, str]) -> ChargeResult:
        """Place a hold (manual capture) for a short campaign: 'authorized' or 'failed'."""
        ...

    def capture(self, payment_ref: str, idempotency_key: str) -> ChargeResult: ...

    def find_charge(self, customer_ref: str, attempt_key: str) -> ChargeResult | None:
        """The outcome of an earlier charge/capture sent with metadata attempt_key, if the provider
        has it. Settlement asks this after a crash instead of trusting idempotency keys, which
        some providers (localstripe) ignore."""
        ...

    def release(self, payment_ref: str, idempotency_key: str) -> None:
        """Cancel an uncaptured hold (a campaign that did not reach its goal)."""
        ...

    def refund(self, payment_ref: str, amount: Money | None, idempotency_key: str) -> RefundResult: ...

    def parse_webhook(self, payload: bytes, signature: str | None) -> WebhookEvent:
        """Verify the signature on the raw body first; raises InvalidWebhook."""
        ...
