"""The signed sign-in cookie: round trip, and forged values refused."""

from __future__ import annotations

import pytest

from lib.services.accounts.cookies import sign, unsign

SECRET = "s" * 48


@pytest.mark.parametrize("token", ["abc", "tok-with_url.safe.dots", "ключ", "x" * 200])
def test_round_trip(token: str) -> None:
    assert unsign(sign(token, SECRET), SECRET) == token


def test_signed_value_carries_the_token_and_a_mac() -> None:
    value = sign("abc", SECRET)
    assert value.startswith("abc.") and len(value) == len("abc.") + 64


def test_tampered_token_is_refused() -> None:
    value = sign("abc", SECRET)
    assert unsign("abd" + value[3:], SECRET) is None


def test_tampered_mac_is_refused() -> None:
    value = sign("abc", SECRET)
    flipped = value[:-1] + ("0" if value[-1] != "0" else "1")
    assert unsign(flipped, SECRET) is None
    assert unsign(value + "0", SECRET) is None
    assert unsign(value.upper(), SECRET) is None


def test_wrong_secret_is_refused() -> None:
    assert unsign(sign("abc", SECRET), "another-secret-" + SECRET) is None


@pytest.mark.parametrize("value", [None, "", "no-dot", ".", "abc.", ".deadbeef"])
def test_missing_or_malformed_values_are_refused(value: str | None) -> None:
    assert unsign(value, SECRET) is None


@pytest.mark.parametrize("value", ["abc.é" + "0" * 63, "abc.\ud800", "\udcff.deadbeef", "ключ.ключ"])
def test_non_ascii_or_surrogate_values_are_refused_not_raised(value: str) -> None:
    assert unsign(value, SECRET) is None


def test_the_secure_name_carries_the_host_prefix() -> None:
    from lib.services.accounts.cookies import COOKIE_NAME, cookie_name

    assert cookie_name(False) == COOKIE_NAME
    assert cookie_name(True) == f"__Host-{COOKIE_NAME}"
