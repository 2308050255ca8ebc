"""Upper bounds for the numbers people type, and choices read from what they send.

Amounts are integers of minor units stored in BIGINT columns (up to 2**63 - 1); counts of units
in INTEGER columns (up to 2**31 - 1 on PostgreSQL). A value past either used to reach the database
and fail there (OverflowError, "bigint out of range"). The bounds here are far inside both, so
that what is computed from them stays inside too: MAX_AMOUNT times the largest quantity (1,000)
is 10**15, and a sum of 9,000 such orders still fits in a BIGINT.
"""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

from lib.domain.errors import InvalidInput

# 10**12 minor units: $10,000,000,000.00 or ₩1,000,000,000,000, more than any price, cost,
# refund or payout on the platform (each is checked where it is typed).
MAX_AMOUNT = 10**12
# Units of one thing: stock, a campaign's cap, a drop's per-account limit.
MAX_UNITS = 1_000_000

E = TypeVar("E", bound=Enum)


def is_whole(value: object) -> bool:
    """An int that is not a bool (True is an int to Python, never a quantity to us)."""
    return isinstance(value, int) and not isinstance(value, bool)


def check_amount(amount: object, not_positive: str = "error.amount_positive") -> int:
    """A positive whole number of minor units no larger than MAX_AMOUNT."""
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise InvalidInput("error.amount_format")
    if amount <= 0:
        raise InvalidInput(not_positive)
    if amount > MAX_AMOUNT:
        raise InvalidInput("error.amount_too_large")
    return amount


def check_count(value: object, low: int, high: int, key: str, **params: object) -> int:
    """A whole number from `low` to `high`, else InvalidInput(key, **params)."""
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise InvalidInput(key, **params)
    return value


def parse_enum(enum: type[E], raw: object, key: str) -> E:
    """The member of `enum` that `raw` names (a member or its value), else InvalidInput(key):
    an unknown status or role someone sent is their mistake, never a ValueError."""
    if isinstance(raw, enum):
        return raw
    try:
        return enum(raw)
    except (ValueError, TypeError):
        raise InvalidInput(key) from None
