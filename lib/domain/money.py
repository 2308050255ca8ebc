"""Money as an integer of minor units with a currency; never a float."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from statistics import median, quantiles

# ISO 4217 minor-unit exponents for the currencies a deployment may pick.
MINOR_UNIT_EXPONENT = {"KRW": 0, "USD": 2, "EUR": 2, "JPY": 0, "GBP": 2}
SYMBOLS = {"KRW": "₩", "USD": "$", "EUR": "€", "JPY": "¥", "GBP": "£"}


class CurrencyMismatch(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Money:
    amount: int
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, int) or isinstance(self.amount, bool):
            raise TypeError("Money.amount must be an int of minor units")
        if self.currency not in MINOR_UNIT_EXPONENT:
            raise ValueError(f"unsupported currency {self.currency!r}")

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} vs {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def times(self, quantity: int) -> Money:
        return Money(self.amount * quantity, self.currency)

    @property
    def exponent(self) -> int:
        return MINOR_UNIT_EXPONENT[self.currency]

    def format(self) -> str:
        """Human form, e.g. '$12.50' or '₩15,000'."""
        exp = self.exponent
        sign = "-" if self.amount < 0 else ""
        units, minor = divmod(abs(self.amount), 10**exp) if exp else (abs(self.amount), 0)
        text = f"{units:,}" + (f".{minor:0{exp}d}" if exp else "")
        return f"{sign}{SYMBOLS.get(self.currency, '')}{text}"

    def major_text(self) -> str:
        """The amount as a plain major-unit number ('12.50', '15000'), the form parse_major reads."""
        exp = self.exponent
        sign = "-" if self.amount < 0 else ""
        if not exp:
            return f"{sign}{abs(self.amount)}"
        units, minor = divmod(abs(self.amount), 10**exp)
        return f"{sign}{units}.{minor:0{exp}d}"

    @classmethod
    def parse_major(cls, text: str, currency: str) -> Money:
        """Parse a user-typed major-unit amount ('12.5') exactly, without floats."""
        exp = MINOR_UNIT_EXPONENT[currency]
        cleaned = text.strip().replace(",", "")
        whole, _, frac = cleaned.partition(".")
        if not whole.isdigit() or (frac and not frac.isdigit()) or len(frac) > exp:
            raise ValueError(f"not an amount in {currency}: {text!r}")
        return cls(int(whole) * 10**exp + int((frac or "0").ljust(exp, "0") or 0), currency)


FAR_FACTOR = 10  # an amount more than this many times the usual ask, or below its 1/FAR_FACTOR, is questioned


@dataclass(frozen=True)
class PriceBand:
    """What ideas in a category usually ask, in minor units: the middle half of their asks and its median."""

    low: Money
    median: Money
    high: Money

    @classmethod
    def of(cls, ranges: Iterable[tuple[int | None, int | None]], currency: str) -> PriceBand | None:
        """The band of these target price ranges (lowest, highest; either may be missing): the median of
        their middles, from the lower quartile of their lows to the upper quartile of their highs. None
        below three ranges, too few to call anything usual."""
        given = [(low or high, high or low) for low, high in ranges if (low or high)]
        if len(given) < 3:
            return None
        lows, highs = sorted(low for low, _ in given if low), sorted(high for _, high in given if high)
        middles = [(low + high) // 2 for low, high in given if low and high]
        return cls(Money(round(quantiles(lows, n=4, method="inclusive")[0]), currency),
                   Money(round(median(middles)), currency),
                   Money(round(quantiles(highs, n=4, method="inclusive")[2]), currency))

    def is_far_from(self, amount: Money) -> bool:
        """Whether `amount` is far outside the usual: above FAR_FACTOR x the median, or below 1/FAR_FACTOR."""
        return amount.amount > self.median.amount * FAR_FACTOR or amount.amount * FAR_FACTOR < self.median.amount
