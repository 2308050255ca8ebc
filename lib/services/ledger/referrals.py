"""Referrals: share links, the clicks they bring, who gets credit for a purchase, the dashboard."""

from __future__ import annotations

from datetime import datetime

from lib.domain.accounts import User
from lib.domain.orders import REFERRAL_WINDOW, SOLD
from lib.domain.permissions import is_signed_in, require
from lib.domain.referrals import (
    CLICK_DEDUPE_WINDOW,
    DEFAULT_REFERRAL_BPS,
    RECENT_CONVERSIONS,
    REFERRAL_RATE_KEY,
    ReferralStats,
    clean_code,
    clean_target,
    clean_visitor_key,
)
from lib.services.context import AppContext
from lib.services.reads import RATES
from lib.services.routes import Screen, absolute
from lib.services.uow import AbstractUnitOfWork

_SOLD = sorted(SOLD)


def attributed_referrer(uow: AbstractUnitOfWork, buyer_id: int, now: datetime) -> int | None:
    """Who referred this buyer within the window (never the buyer), or None."""
    return uow.referrals.latest_referrer(buyer_id, now - REFERRAL_WINDOW, now)


def record_click(ctx: AppContext, code: str, visitor_key: str, user: User | None, target: str) -> bool:
    """Count a visit through a share link; True when a click was written. A code that is not an
    active account's, or is the visitor's own, is ignored without a word (never an error)."""
    code_ = clean_code(code)
    visitor = clean_visitor_key(visitor_key)
    if code_ is None or visitor is None or (user is not None and user.referral_code.upper() == code_):
        return False
    target = clean_target(target)
    now = ctx.now()
    user_id = user.id if user is not None else None
    with ctx.uow() as uow:
        referrer_id = uow.referrals.active_referrer(code_)
        if referrer_id is None or referrer_id == user_id:
            return False
        if uow.referrals.recent_click(referrer_id, target, visitor, user_id, now - CLICK_DEDUPE_WINDOW):
            return False
        uow.referrals.add_click(referrer_id, visitor, user_id, target, now)
        uow.commit()
    return True


def claim_visitor_clicks(ctx: AppContext, visitor_key: str, user_id: int) -> int:
    """Bind this browser session's anonymous clicks to the account that just signed in or up."""
    visitor = clean_visitor_key(visitor_key)
    if visitor is None:
        return 0
    with ctx.uow() as uow:
        claimed = int(uow.referrals.claim(visitor, user_id))
        uow.commit()
    return claimed


def share_url(ctx: AppContext, user: User, screen: Screen, *, base: str | None = None, **params: str) -> str:
    """The address of a screen carrying the user's referral code, under `base` (the address the person's
    browser uses) or the deployment's base URL."""
    return absolute(base or ctx.base_url, screen, **params, ref=user.referral_code)


RATES_SECONDS = 60.0


def referral_rate_bps(ctx: AppContext) -> int:
    """The referral commission in basis points (the admin setting, 3 % unless changed), as every share
    box shows it: read once a minute per server, at once after an admin changes the rates here."""

    def load() -> int:
        with ctx.uow(write=False) as uow:
            raw = uow.settings.get(REFERRAL_RATE_KEY)
        return int(raw) if raw and raw.isdigit() else DEFAULT_REFERRAL_BPS

    return ctx.reads.get(RATES, load, ttl=RATES_SECONDS)


def dashboard(ctx: AppContext, actor: User | None) -> ReferralStats:
    """The signed-in account's clicks, visitors, conversions and earnings, from the database."""
    user = require(is_signed_in, actor)
    since = ctx.now() - REFERRAL_WINDOW
    with ctx.uow(write=False) as uow:
        clicks, recent_clicks, visitors = uow.referrals.click_counts(user.id, since)
        return ReferralStats(
            code=user.referral_code, clicks=clicks, clicks_recent=recent_clicks, visitors=visitors,
            conversions=uow.referrals.conversion_count(user.id, _SOLD),
            earnings=uow.referrals.earnings(user.id),
            recent=uow.referrals.conversions(user.id, _SOLD, RECENT_CONVERSIONS))
