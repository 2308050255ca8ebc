"""The local test-mode gateway: the three test cards, Luhn, and references derived from inputs."""

from __future__ import annotations

import pytest

from lib.adapters.payments import LocalGateway
from lib.adapters.payments.local_gateway import luhn_valid
from lib.domain.money import Money
from lib.services.payments.ports import ChargeResult, InvalidWebhook, PaymentMethodRefused, PaymentUnavailable

USD = Money(1250, "USD")
KRW = Money(15000, "KRW")


@pytest.fixture
def local() -> LocalGateway:
    return LocalGateway()


def test_it_says_it_is_test_mode_and_needs_no_browser_step(local):
    assert (local.name, local.test_mode, local.publishable_key, local.js_url) == ("local", True, None, None)
    setup = local.start_card_setup("lcus_x", "setup:1")
    assert setup.setup_ref.startswith("lseti_") and setup.client_secret is None


@pytest.mark.parametrize("typed", ["4242424242424242", "4242 4242 4242 4242", " 4242424242424242 \n"])
def test_the_good_card_saves(local, typed):
    saved = local.finish_card_setup("lcus_1", "lseti_1", typed)
    assert (saved.customer_ref, saved.method_ref, saved.brand, saved.last4) == (
        "lcus_1", "lpm_4242424242424242", "visa", "4242")


def test_the_card_that_fails_later_saves(local):
    saved = local.finish_card_setup("lcus_1", "lseti_1", "4000 0000 0000 0341")
    assert (saved.method_ref, saved.last4) == ("lpm_4000000000000341", "0341")


@pytest.mark.parametrize(("typed", "reason"), [
    ("4000000000000002", "declined"),
    ("4000 0000 0000 0002", "declined"),
    ("4242424242424241", "invalid_number"),  # Luhn fails
    ("424242424242424", "invalid_number"),  # too short
    ("42424242424242424", "invalid_number"),  # too long
    ("4242-4242-4242-4242", "invalid_number"),
    ("abcd", "invalid_number"),
    ("", "invalid_number"),
    (None, "invalid_number"),
    ("5555555555554444", "not_a_test_card"),  # a valid number, but not one of ours
    ("4111111111111111", "not_a_test_card"),
])
def test_everything_else_is_refused_at_save(local, typed, reason):
    with pytest.raises(PaymentMethodRefused) as caught:
        local.finish_card_setup("lcus_1", "lseti_1", typed)
    assert caught.value.params["reason"] == reason
    assert caught.value.key == "error.card_refused"


@pytest.mark.parametrize(("number", "valid"), [
    ("4242424242424242", True), ("4000000000000341", True), ("4000000000000002", True),
    ("79927398713", True), ("79927398710", False), ("4242424242424241", False), ("", False), ("12a4", False),
])
def test_luhn(number, valid):
    assert luhn_valid(number) is valid


@pytest.mark.parametrize("amount", [USD, KRW])
def test_charge_and_authorize_a_good_card(local, amount):
    charged = local.charge("lcus_1", "lpm_4242424242424242", amount, "preorder:1:charge:1", "Lamp × 1", {})
    held = local.authorize("lcus_1", "lpm_4242424242424242", amount, "preorder:1:authorize", "Lamp × 1", {})
    assert charged.status == "succeeded" and charged.payment_ref and charged.payment_ref.startswith("lpi_")
    assert held.status == "authorized" and held.payment_ref and held.payment_ref.startswith("lpi_")
    assert len(charged.payment_ref) == len("lpi_") + 24
    assert local.capture(held.payment_ref, "preorder:1:capture:1") == ChargeResult("succeeded", held.payment_ref)
    assert local.release(held.payment_ref, "preorder:1:release") is None


def test_the_0341_card_is_declined_whenever_it_is_charged(local):
    for pay in (local.charge, local.authorize):
        result = pay("lcus_1", "lpm_4000000000000341", USD, "k", "d", {})
        assert result == ChargeResult("failed", None, "card_declined", "Your card was declined.")


def test_an_unknown_method_fails_without_an_exception(local):
    result = local.charge("lcus_1", "pm_from_stripe", USD, "k", "d", {})
    assert result.status == "failed" and result.failure_code == "payment_method_unknown"


def test_references_are_derived_from_the_key_so_they_survive_a_restart(local):
    again = LocalGateway()
    assert local.create_customer("a@b.c", "A", "customer:7") == again.create_customer("x@y.z", "X", "customer:7")
    assert local.create_customer("a@b.c", "A", "customer:7").startswith("lcus_")
    assert local.create_customer("a@b.c", "A", "customer:7") != local.create_customer("a@b.c", "A", "customer:8")
    first = local.charge("lcus_1", "lpm_4242424242424242", USD, "preorder:3:charge:1", "d", {})
    retried = again.charge("lcus_1", "lpm_4242424242424242", USD, "preorder:3:charge:1", "d", {})
    other = local.charge("lcus_1", "lpm_4242424242424242", USD, "preorder:3:charge:2", "d", {})
    assert first == retried and first.payment_ref != other.payment_ref
    assert local.start_card_setup("c", "s:1") == again.start_card_setup("c", "s:1")
    assert local.refund("lpi_x", USD, "r:1") == again.refund("lpi_x", USD, "r:1")


def test_find_charge_knows_nothing_so_a_retry_is_made_with_the_same_key(local):
    assert local.find_charge("lcus_1", "preorder:3:charge:1") is None


def test_refunds_need_the_amount(local):
    refund = local.refund("lpi_abc", KRW, "refund:1")
    assert refund.refund_ref.startswith("lre_") and refund.amount == KRW
    with pytest.raises(PaymentUnavailable):
        local.refund("lpi_abc", None, "refund:2")


@pytest.mark.parametrize("amount", [Money(0, "USD"), Money(-5, "KRW")])
def test_a_non_positive_amount_is_a_bug(local, amount):
    with pytest.raises(ValueError, match="positive"):
        local.charge("lcus_1", "lpm_4242424242424242", amount, "k", "d", {})


def test_capture_of_an_unknown_payment_fails(local):
    assert local.capture("pi_123", "k").status == "failed"


def test_it_sends_no_webhooks(local):
    with pytest.raises(InvalidWebhook):
        local.parse_webhook(b"{}", "t=1,v1=abc")
