"""Money: integer minor units with a currency, exact parsing, no floats anywhere."""

from __future__ import annotations

import pytest

from lib.domain.money import CurrencyMismatch, Money, PriceBand


def test_krw_has_no_minor_unit_and_usd_has_cents() -> None:
    assert Money(15000, "KRW").exponent == 0
    assert Money(1250, "USD").exponent == 2


@pytest.mark.parametrize(("money", "text"), [
    (Money(15000, "KRW"), "₩15,000"),
    (Money(0, "KRW"), "₩0"),
    (Money(1234567, "KRW"), "₩1,234,567"),
    (Money(1250, "USD"), "$12.50"),
    (Money(5, "USD"), "$0.05"),
    (Money(123456789, "USD"), "$1,234,567.89"),
    (Money(-1250, "USD"), "-$12.50"),
    (Money(-500, "KRW"), "-₩500"),
])
def test_format(money: Money, text: str) -> None:
    assert money.format() == text


@pytest.mark.parametrize(("text", "currency", "minor"), [
    ("12.5", "USD", 1250),
    ("12.50", "USD", 1250),
    ("12", "USD", 1200),
    ("0.01", "USD", 1),
    ("1,234.56", "USD", 123456),
    (" 7.1 ", "USD", 710),
    ("15000", "KRW", 15000),
    ("15,000", "KRW", 15000),
    # 0.1 + 0.2 style float traps must be exact
    ("0.29", "USD", 29),
    ("1.15", "USD", 115),
    ("4.35", "USD", 435),
])
def test_parse_major_is_exact(text: str, currency: str, minor: int) -> None:
    parsed = Money.parse_major(text, currency)
    assert parsed == Money(minor, currency)
    assert type(parsed.amount) is int


@pytest.mark.parametrize(("text", "currency"), [
    ("12.345", "USD"),    # more decimals than the currency has
    ("12.5", "KRW"),      # KRW has no decimals
    ("", "USD"), (".5", "USD"), ("abc", "USD"), ("-5", "USD"), ("1e3", "USD"),
    ("1.2.3", "USD"), ("$12", "USD"), ("12 000", "KRW"), ("²", "KRW"),
])
def test_parse_major_refuses_what_is_not_an_amount(text: str, currency: str) -> None:
    with pytest.raises(ValueError):
        Money.parse_major(text, currency)


@pytest.mark.parametrize("money", [Money(1250, "USD"), Money(15000, "KRW"), Money(-7, "USD"), Money(0, "KRW")])
def test_major_text_round_trips_through_parse(money: Money) -> None:
    if money.amount < 0:
        assert money.major_text().startswith("-")
        return
    assert Money.parse_major(money.major_text(), money.currency) == money


def test_arithmetic_within_a_currency() -> None:
    a, b = Money(1250, "USD"), Money(199, "USD")
    assert a + b == Money(1449, "USD")
    assert a - b == Money(1051, "USD")
    assert -a == Money(-1250, "USD")
    assert b.times(3) == Money(597, "USD")
    assert Money(15000, "KRW").times(0) == Money(0, "KRW")
    assert Money(100, "USD") < Money(101, "USD")


@pytest.mark.parametrize("op", [lambda a, b: a + b, lambda a, b: a - b])
def test_mixing_currencies_is_refused(op) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CurrencyMismatch):
        op(Money(100, "USD"), Money(100, "KRW"))


def test_currency_mismatch_is_a_value_error() -> None:
    assert issubclass(CurrencyMismatch, ValueError)


@pytest.mark.parametrize("amount", [12.5, 12.0, "1250", True, None])
def test_amount_must_be_an_int_never_a_float(amount: object) -> None:
    with pytest.raises(TypeError):
        Money(amount, "USD")  # type: ignore[arg-type]


def test_times_with_a_float_is_refused() -> None:
    with pytest.raises(TypeError):
        Money(100, "USD").times(1.5)  # type: ignore[arg-type]


def test_unsupported_currency_is_refused() -> None:
    with pytest.raises(ValueError):
        Money(100, "XYZ")
    with pytest.raises(KeyError):
        Money.parse_major("1", "XYZ")


def test_money_is_immutable() -> None:
    money = Money(100, "USD")
    with pytest.raises(AttributeError):
        money.amount = 5  # type: ignore[misc]


def test_a_price_far_outside_what_a_category_asks_is_questioned() -> None:
    band = PriceBand.of([(1_500, 4_500), (2_000, 6_000), (1_000, None), (None, 3_000)], "USD")
    assert band == PriceBand(Money(1_375, "USD"), Money(3_000, "USD"), Money(4_875, "USD"))
    assert band.is_far_from(Money(2_500_000, "USD"))  # "25000" typed on a USD deployment
    assert band.is_far_from(Money(299, "USD")) and not band.is_far_from(Money(300, "USD"))
    assert not band.is_far_from(Money(30_000, "USD")) and band.is_far_from(Money(30_001, "USD"))
    assert PriceBand.of([(1_500, 4_500), (None, None), (2_000, 2_000)], "USD") is None  # too few to say
