"""The money helper, the pinned API version, choosing a gateway from settings, and the checks
on payment settings. No server needed."""

from __future__ import annotations

from pathlib import Path

import pytest
import stripe  # noqa: TID251 - the test compares our pin with the installed library

from lib.adapters.payments import LocalGateway, make_gateway
from lib.adapters.payments.stripe_events import money_from_stripe
from lib.adapters.payments.stripe_gateway import API_VERSION, StripeGateway, stripe_amount
from lib.config import MIN_SECRET_LENGTH, STRIPE_JS_URL, ConfigError, load_settings
from lib.domain.money import Money

PRODUCTION = {"COCREATE_DEMO": "false", "COCREATE_COOKIE_SECRET": "k" * MIN_SECRET_LENGTH}
STRIPE_KEYS = {"STRIPE_SECRET_KEY": "sk_test_x", "STRIPE_PUBLISHABLE_KEY": "pk_test_x",
               "STRIPE_WEBHOOK_SECRET": "whsec_x"}


@pytest.mark.parametrize(("money", "expected"), [
    (Money(15000, "KRW"), (15000, "krw")),  # zero-decimal: won pass unchanged
    (Money(1, "KRW"), (1, "krw")),
    (Money(1250, "USD"), (1250, "usd")),  # cents
    (Money(999, "EUR"), (999, "eur")),
    (Money(500, "JPY"), (500, "jpy")),
])
def test_money_goes_to_stripe_in_minor_units_and_lower_case(money, expected):
    assert stripe_amount(money) == expected
    assert money_from_stripe(*expected) == money


@pytest.mark.parametrize("money", [Money(0, "USD"), Money(-100, "KRW")])
def test_only_positive_amounts_go_to_stripe(money):
    with pytest.raises(ValueError, match="positive"):
        stripe_amount(money)


def test_the_api_version_is_pinned_to_the_one_the_library_was_built_for():
    assert stripe.api_version == API_VERSION  # the library default; a library upgrade must bump the pin


def test_no_keys_means_the_local_gateway(tmp_path: Path):
    gateway = make_gateway(load_settings(env={}, root=tmp_path))
    assert isinstance(gateway, LocalGateway)
    assert gateway.test_mode


def test_a_secret_key_means_stripe(tmp_path: Path):
    settings = load_settings(env={**STRIPE_KEYS, "STRIPE_API_BASE": "http://127.0.0.1:9"}, root=tmp_path)
    gateway = make_gateway(settings)
    assert isinstance(gateway, StripeGateway)
    assert (gateway.name, gateway.test_mode, gateway.publishable_key, gateway.js_url) == (
        "stripe", True, "pk_test_x", STRIPE_JS_URL)


def test_a_live_key_is_not_test_mode():
    assert not StripeGateway("sk_live_x").test_mode
    assert StripeGateway("rk_test_x").test_mode


def test_settings_read_from_secrets_toml(tmp_path: Path):
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(
        'stripe_secret_key = "sk_test_t"\nstripe_publishable_key = "pk_test_t"\n'
        'stripe_webhook_secret = "whsec_t"\nstripe_js_url = "http://127.0.0.1:8420/js.stripe.com/v3/"\n',
        encoding="utf-8")
    settings = load_settings(env={}, root=tmp_path)
    assert (settings.stripe_secret_key, settings.stripe_publishable_key, settings.stripe_webhook_secret) == (
        "sk_test_t", "pk_test_t", "whsec_t")
    assert settings.stripe_js_url == "http://127.0.0.1:8420/js.stripe.com/v3/"
    assert settings.stripe_api_base is None


def test_defaults_have_no_keys(tmp_path: Path):
    settings = load_settings(env={}, root=tmp_path)
    assert settings.stripe_secret_key is None and settings.stripe_webhook_secret is None
    assert settings.stripe_js_url == "https://js.stripe.com/v3/"


@pytest.mark.parametrize("missing", ["STRIPE_WEBHOOK_SECRET", "STRIPE_PUBLISHABLE_KEY"])
def test_production_with_a_secret_key_needs_the_other_stripe_settings(tmp_path: Path, missing: str):
    env = {**PRODUCTION, **STRIPE_KEYS}
    del env[missing]
    with pytest.raises(ConfigError, match=missing):
        load_settings(env=env, root=tmp_path)


def test_production_with_all_stripe_settings_starts(tmp_path: Path):
    assert load_settings(env={**PRODUCTION, **STRIPE_KEYS}, root=tmp_path).stripe_secret_key == "sk_test_x"


def test_demo_mode_tolerates_a_secret_key_alone(tmp_path: Path):
    assert load_settings(env={"STRIPE_SECRET_KEY": "sk_test_x"}, root=tmp_path).stripe_webhook_secret is None
