"""The Stripe gateway with the real stripe library against localstripe: saving cards, off-session
charges in USD and KRW, declines, holds, refunds, and finding a charge after a crash."""

from __future__ import annotations

import pytest

from lib.adapters.payments.stripe_gateway import StripeGateway
from lib.domain.money import Money
from lib.services.payments.ports import ChargeResult, PaymentMethodRefused, PaymentUnavailable, SavedCard
from tests.payments.conftest import PUBLISHABLE_KEY, SECRET_KEY
from tests.server import free_port

USD = Money(1250, "USD")
KRW = Money(15000, "KRW")
_count = iter(range(10**6))


def new_customer(gateway: StripeGateway) -> str:
    return gateway.create_customer("mina@example.com", "Mina Kim", f"customer:{next(_count)}")


def save(gateway: StripeGateway, card: str) -> SavedCard:
    customer = new_customer(gateway)
    setup = gateway.start_card_setup(customer, f"setup:{next(_count)}")
    return gateway.finish_card_setup(customer, setup.setup_ref, card)


def confirm_in_browser(localstripe, setup, number: str) -> dict:
    """What Stripe.js does with the publishable key and the client secret."""
    return localstripe.request("POST", f"/v1/setup_intents/{setup.setup_ref}/confirm", {
        "key": PUBLISHABLE_KEY, "client_secret": setup.client_secret, "payment_method_data[type]": "card",
        "payment_method_data[card][number]": number, "payment_method_data[card][exp_month]": "12",
        "payment_method_data[card][exp_year]": "2034", "payment_method_data[card][cvc]": "123"}, key=None)


@pytest.mark.parametrize("card", ["pm_card_visa", "4242 4242 4242 4242"])
def test_save_a_card_server_side(gateway, localstripe, card):
    customer = new_customer(gateway)
    setup = gateway.start_card_setup(customer, "setup:server")
    assert setup.setup_ref.startswith("seti_") and setup.client_secret.startswith(setup.setup_ref + "_secret_")
    stored = localstripe.get(f"/v1/setup_intents/{setup.setup_ref}")
    assert (stored["customer"], stored["usage"], stored["status"]) == (
        customer, "off_session", "requires_payment_method")
    saved = gateway.finish_card_setup(customer, setup.setup_ref, card)
    assert (saved.customer_ref, saved.brand, saved.last4) == (customer, "visa", "4242")
    assert saved.method_ref.startswith("pm_")
    assert localstripe.get(f"/v1/setup_intents/{setup.setup_ref}")["payment_method"] == saved.method_ref


def test_save_a_card_the_browser_confirmed(gateway, localstripe):
    customer = new_customer(gateway)
    setup = gateway.start_card_setup(customer, "setup:browser")
    assert confirm_in_browser(localstripe, setup, "4242424242424242")["status"] == "succeeded"
    saved = gateway.finish_card_setup(customer, setup.setup_ref, None)
    assert (saved.brand, saved.last4) == ("visa", "4242")
    # and a second read of the same setup gives the same card (a page rerun)
    assert gateway.finish_card_setup(customer, setup.setup_ref, None) == saved


@pytest.mark.parametrize("card", ["pm_card_visa_chargeDeclined", "4000000000000002", "4000 0000 0000 0002"])
def test_a_decline_at_save(gateway, localstripe, card):
    customer = new_customer(gateway)
    setup = gateway.start_card_setup(customer, "setup:declined")
    with pytest.raises(PaymentMethodRefused) as caught:
        gateway.finish_card_setup(customer, setup.setup_ref, card)
    assert caught.value.params["reason"] == "card_declined"
    assert localstripe.get(f"/v1/setup_intents/{setup.setup_ref}")["status"] == "canceled"


def test_a_decline_in_the_browser_then_read_back(gateway, localstripe):
    customer = new_customer(gateway)
    setup = gateway.start_card_setup(customer, "setup:declined-browser")
    assert confirm_in_browser(localstripe, setup, "4000000000000002")["http_status"] == 402
    with pytest.raises(PaymentMethodRefused):
        gateway.finish_card_setup(customer, setup.setup_ref, None)


def test_an_unconfirmed_setup_or_someone_elses_is_refused(gateway):
    customer, other = new_customer(gateway), new_customer(gateway)
    setup = gateway.start_card_setup(customer, "setup:unconfirmed")
    with pytest.raises(PaymentMethodRefused):
        gateway.finish_card_setup(customer, setup.setup_ref, None)
    with pytest.raises(PaymentMethodRefused) as caught:
        gateway.finish_card_setup(other, setup.setup_ref, "pm_card_visa")
    assert caught.value.params["reason"] == "invalid_setup"


def test_card_numbers_are_refused_with_a_live_key(localstripe):
    live = StripeGateway("sk_live_cocreate", api_base=localstripe.url, max_network_retries=0)
    customer = new_customer(live)
    setup = live.start_card_setup(customer, "setup:live")
    with pytest.raises(PaymentMethodRefused):
        live.finish_card_setup(customer, setup.setup_ref, "4242424242424242")


@pytest.mark.parametrize(("amount", "currency"), [(USD, "usd"), (KRW, "krw")])
def test_charge_off_session(gateway, localstripe, amount, currency):
    saved = save(gateway, "pm_card_visa")
    result = gateway.charge(saved.customer_ref, saved.method_ref, amount, "preorder:1:charge:1", "Lamp × 2",
                            {"preorder_id": "1", "attempt_key": "preorder:1:charge:1"})
    assert result.status == "succeeded" and result.payment_ref.startswith("pi_")
    stored = localstripe.get(f"/v1/payment_intents/{result.payment_ref}")
    assert (stored["amount"], stored["currency"], stored["status"]) == (amount.amount, currency, "succeeded")
    assert (stored["customer"], stored["payment_method"]) == (saved.customer_ref, saved.method_ref)
    assert stored["metadata"] == {"preorder_id": "1", "attempt_key": "preorder:1:charge:1", "description": "Lamp × 2"}
    assert stored["capture_method"] != "manual"


def test_a_decline_at_charge_is_a_result_not_an_exception(gateway, localstripe):
    saved = save(gateway, "4000000000000341")
    assert saved.last4 == "0341"
    result = gateway.charge(saved.customer_ref, saved.method_ref, KRW, "preorder:2:charge:1", "Lamp",
                            {"attempt_key": "preorder:2:charge:1"})
    assert (result.status, result.failure_code, result.failure_message) == (
        "failed", "card_declined", "Your card was declined.")
    assert result.payment_ref and result.payment_ref.startswith("pi_")
    stored = localstripe.get(f"/v1/payment_intents/{result.payment_ref}")
    assert stored["status"] == "requires_payment_method"
    assert stored["last_payment_error"]["code"] == "card_declined"
    held = gateway.authorize(saved.customer_ref, saved.method_ref, KRW, "preorder:2:authorize", "Lamp", {})
    assert held.status == "failed" and held.failure_code == "card_declined"


@pytest.mark.parametrize("amount", [USD, KRW])
def test_authorize_then_capture(gateway, localstripe, amount):
    saved = save(gateway, "pm_card_visa")
    held = gateway.authorize(saved.customer_ref, saved.method_ref, amount, "preorder:3:authorize", "Lamp",
                             {"attempt_key": "preorder:3:authorize"})
    assert held.status == "authorized"
    stored = localstripe.get(f"/v1/payment_intents/{held.payment_ref}")
    assert (stored["status"], stored["capture_method"], stored["amount"]) == (
        "requires_capture", "manual", amount.amount)
    captured = gateway.capture(held.payment_ref, "preorder:3:capture:1")
    assert captured == ChargeResult("succeeded", held.payment_ref)
    stored = localstripe.get(f"/v1/payment_intents/{held.payment_ref}")
    assert stored["status"] == "succeeded"
    assert stored["metadata"]["attempt_key"] == "preorder:3:capture:1"  # webhooks name the capture
    # a settlement run that died after capturing captures again: same answer, no error
    assert gateway.capture(held.payment_ref, "preorder:3:capture:1") == captured


def test_authorize_then_release(gateway, localstripe):
    saved = save(gateway, "pm_card_visa")
    held = gateway.authorize(saved.customer_ref, saved.method_ref, USD, "preorder:4:authorize", "Lamp", {})
    assert gateway.release(held.payment_ref, "preorder:4:release") is None
    assert localstripe.get(f"/v1/payment_intents/{held.payment_ref}")["status"] == "canceled"
    gateway.release(held.payment_ref, "preorder:4:release")  # released twice: still fine
    late = gateway.capture(held.payment_ref, "preorder:4:capture:1")
    assert (late.status, late.failure_code) == ("failed", "hold_canceled")


def test_releasing_a_captured_payment_is_refused(gateway):
    saved = save(gateway, "pm_card_visa")
    paid = gateway.charge(saved.customer_ref, saved.method_ref, USD, "k:paid", "Lamp", {})
    with pytest.raises(PaymentUnavailable):
        gateway.release(paid.payment_ref, "k:paid:release")


@pytest.mark.parametrize(("amount", "refund", "expected"), [
    (USD, None, USD), (USD, Money(250, "USD"), Money(250, "USD")),
    (KRW, None, KRW), (KRW, Money(5000, "KRW"), Money(5000, "KRW")),
])
def test_refunds(gateway, localstripe, amount, refund, expected):
    saved = save(gateway, "pm_card_visa")
    paid = gateway.charge(saved.customer_ref, saved.method_ref, amount, f"k:{next(_count)}", "Lamp", {})
    result = gateway.refund(paid.payment_ref, refund, f"refund:{next(_count)}")
    assert result.refund_ref.startswith("re_") and result.amount == expected
    stored = localstripe.get(f"/v1/refunds/{result.refund_ref}")
    assert (stored["amount"], stored["currency"], stored["payment_intent"]) == (
        expected.amount, expected.currency.lower(), paid.payment_ref)


def test_find_charge_after_a_crash(gateway):
    saved = save(gateway, "pm_card_visa")
    key = "preorder:5:charge:1"
    assert gateway.find_charge(saved.customer_ref, key) is None  # nothing charged yet: try again
    paid = gateway.charge(saved.customer_ref, saved.method_ref, USD, key, "Lamp", {"attempt_key": key})
    assert gateway.find_charge(saved.customer_ref, key) == ChargeResult("succeeded", paid.payment_ref)
    assert gateway.find_charge(saved.customer_ref, "preorder:5:charge:2") is None
    assert gateway.find_charge("", key) is None
    held = gateway.authorize(saved.customer_ref, saved.method_ref, USD, "preorder:6:authorize", "Lamp",
                             {"attempt_key": "preorder:6:authorize"})
    assert gateway.find_charge(saved.customer_ref, "preorder:6:capture:1") is None
    gateway.capture(held.payment_ref, "preorder:6:capture:1")
    found = gateway.find_charge(saved.customer_ref, "preorder:6:capture:1")
    assert found == ChargeResult("succeeded", held.payment_ref)


def test_find_charge_reports_a_decline(gateway):
    saved = save(gateway, "pm_card_chargeCustomerFail")
    key = "preorder:7:charge:1"
    declined = gateway.charge(saved.customer_ref, saved.method_ref, USD, key, "Lamp", {"attempt_key": key})
    found = gateway.find_charge(saved.customer_ref, key)
    assert found is not None
    assert (found.status, found.payment_ref, found.failure_code) == ("failed", declined.payment_ref, "card_declined")


def test_an_unreachable_provider_is_payment_unavailable():
    down = StripeGateway(SECRET_KEY, api_base=f"http://127.0.0.1:{free_port()}", max_network_retries=0,
                         timeout_seconds=2)
    with pytest.raises(PaymentUnavailable):
        down.create_customer("a@b.c", "A", "customer:down")
    with pytest.raises(PaymentUnavailable):
        down.charge("cus_x", "pm_x", USD, "k", "d", {})
    with pytest.raises(PaymentUnavailable):
        down.finish_card_setup("cus_x", "seti_x", "pm_card_visa")


def test_a_refused_request_is_payment_unavailable(gateway):
    with pytest.raises(PaymentUnavailable):
        gateway.charge("cus_doesnotexist", "pm_card_visa", USD, "k:nocustomer", "d", {})
    with pytest.raises(PaymentUnavailable):
        gateway.refund("pi_doesnotexist", None, "k:norefund")
