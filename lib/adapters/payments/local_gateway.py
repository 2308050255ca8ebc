"""The local test-mode gateway: no keys, no network, no money. The default.

It keeps no state: every reference is derived from the call's inputs (a hash of the
idempotency key, the card number inside the method reference), so references stay the same
across restarts and a retried call with the same key answers the same. It takes only the
documented test cards, so nobody can type a real card number into a demo.
"""

from __future__ import annotations

import hashlib
from typing import Literal

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

CARD_WORKS = "4242424242424242"
CARD_FAILS_WHEN_CHARGED = "4000000000000341"
CARD_DECLINED_AT_SAVE = "4000000000000002"
TEST_CARDS = (CARD_WORKS, CARD_FAILS_WHEN_CHARGED, CARD_DECLINED_AT_SAVE)
METHOD_PREFIX = "lpm_"
DECLINED = ChargeResult("failed", None, "card_declined", "Your card was declined.")


def _digest(key: str, length: int) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:length]


def luhn_valid(number: str) -> bool:
    """The check digit every card number carries (ISO/IEC 7812)."""
    if not number.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def _positive(amount: Money) -> None:
    if amount.amount <= 0:
        raise ValueError(f"a payment amount must be positive, not {amount.amount}")


class LocalGateway:
    """Test mode only: the three test cards, deterministic references, nothing charged."""

    name = "local"
    test_mode = True
    publishable_key: str | None = None
    js_url: str | None = None

    def create_customer(self, email: str, name: str, idempotency_key: str) -> str:
        return "lcus_" + _digest(idempotency_key, 16)

    def start_card_setup(self, customer_ref: str, idempotency_key: str) -> CardSetup:
        return CardSetup("lseti_" + _digest(idempotency_key, 24), None)

    def finish_card_setup(self, customer_ref: str, setup_ref: str, card: str | None) -> SavedCard:
        number = "".join((card or "").split())
        if len(number) != 16 or not luhn_valid(number):
            raise PaymentMethodRefused("not a card number", reason="invalid_number")
        if number == CARD_DECLINED_AT_SAVE:
            raise PaymentMethodRefused("declined", reason="declined")
        if number not in (CARD_WORKS, CARD_FAILS_WHEN_CHARGED):
            raise PaymentMethodRefused("test mode takes only the test cards", reason="not_a_test_card")
        return SavedCard(customer_ref, METHOD_PREFIX + number, "visa", number[-4:])

    def _pay(self, method_ref: str, amount: Money, idempotency_key: str,
             status: Literal["succeeded", "authorized"]) -> ChargeResult:
        _positive(amount)
        number = method_ref.removeprefix(METHOD_PREFIX)
        if not method_ref.startswith(METHOD_PREFIX) or number not in (CARD_WORKS, CARD_FAILS_WHEN_CHARGED):
            return ChargeResult("failed", None, "payment_method_unknown", "This card is not saved.")
        if number == CARD_FAILS_WHEN_CHARGED:
            return DECLINED
        return ChargeResult(status, "lpi_" + _digest(idempotency_key, 24))

    def charge(self, customer_ref: str, method_ref: str, amount: Money, idempotency_key: str,
               description: str, metadata: dict[str, str]) -> ChargeResult:
        return self._pay(method_ref, amount, idempotency_key, "succeeded")

    def authorize(self, customer_ref: str, method_ref: str, amount: Money, idempotency_key: str,
                  description: str, metadata: dict[str, str]) -> ChargeResult:
        return self._pay(method_ref, amount, idempotency_key, "authorized")

    def capture(self, payment_ref: str, idempotency_key: str) -> ChargeResult:
        if not payment_ref.startswith("lpi_"):
            return ChargeResult("failed", payment_ref, "payment_unknown", "This payment is unknown.")
        return ChargeResult("succeeded", payment_ref)

    def find_charge(self, customer_ref: str, attempt_key: str) -> ChargeResult | None:
        """Nothing is recorded here; retrying with the same key is harmless (same reference, no money)."""
        return None

    def release(self, payment_ref: str, idempotency_key: str) -> None:
        return None

    def refund(self, payment_ref: str, amount: Money | None, idempotency_key: str) -> RefundResult:
        if amount is None:  # a stateless gateway cannot know what was paid: callers pass the ledger's amount
            raise PaymentUnavailable("the local gateway refunds only a given amount")
        _positive(amount)
        return RefundResult("lre_" + _digest(idempotency_key, 24), amount)

    def parse_webhook(self, payload: bytes, signature: str | None) -> WebhookEvent:
        raise InvalidWebhook("the local gateway sends no webhooks")
