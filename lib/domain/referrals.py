"""Referrals: share codes, click records and what a referrer's dashboard shows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from lib.domain.money import Money

# The same visitor opening the same referrer's link to the same page again within this time is
# one click, not several.
CLICK_DEDUPE_WINDOW = timedelta(hours=1)
DEFAULT_REFERRAL_BPS = 300  # the admin setting `rate_referral_bps` when unset (3 %)
REFERRAL_RATE_KEY = "rate_referral_bps"
RECENT_CONVERSIONS = 20
_CODE = re.compile(r"[A-Za-z0-9]{4,16}")  # issued codes are 8 characters; the column holds 16
_VISITOR = re.compile(r"[A-Za-z0-9_-]{8,64}")
_TARGET = re.compile(r"[a-z_]{1,30}(:[0-9]{1,18})?")


def clean_code(code: object) -> str | None:
    """A referral code as stored (upper case), or None when it cannot be one."""
    if not isinstance(code, str):
        return None
    code = code.strip()
    return code.upper() if _CODE.fullmatch(code) else None


def clean_visitor_key(key: object) -> str | None:
    return key if isinstance(key, str) and _VISITOR.fullmatch(key) else None


def clean_target(target: object) -> str:
    """What the link pointed at ("idea:12", "campaign:3", "discover"); anything else is dropped."""
    return target if isinstance(target, str) and _TARGET.fullmatch(target) else ""


def percent_text(bps: int) -> str:
    """Basis points as a short percentage number: 300 -> '3', 250 -> '2.5'."""
    return f"{bps / 100:.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Conversion:
    """One sale a referral led to, as the referrer sees it (never who bought)."""

    order_id: int
    at: datetime
    title: str
    amount: Money
    commission: Money


@dataclass(frozen=True)
class ReferralStats:
    code: str
    clicks: int
    clicks_recent: int  # within REFERRAL_WINDOW
    visitors: int
    conversions: int
    earnings: list[Money]  # one per currency earned, net of refunds (payouts not subtracted)
    recent: list[Conversion]

    @property
    def conversion_rate(self) -> float:
        """Converted sales per distinct visitor (0 when nobody came yet)."""
        return self.conversions / self.visitors if self.visitors else 0.0
