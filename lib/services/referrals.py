"""Referrals (being written: see the brief)."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def attributed_referrer(uow: Any, buyer_id: int, now: datetime) -> int | None:
    """Who referred this buyer within the window (never the buyer), or None."""
    return None
