"""The share link a signed-in person can copy from an idea, campaign or listing."""

from __future__ import annotations

import streamlit as st

from lib.domain.accounts import User
from lib.domain.orders import REFERRAL_WINDOW
from lib.domain.referrals import clean_code, percent_text
from lib.services.ledger import referrals
from lib.services.routes import Screen
from lib.ui.fmt import link_base
from lib.ui.i18n import t
from lib.ui.params import query_id, query_text
from lib.ui.session import ctx, viewer_key


def share_link(user: User | None, page: Screen, **params: str) -> None:
    """For signed-in users: the page's address with their referral code (st.code has a copy
    button) and what sharing earns. Visitors see nothing."""
    if user is None:
        return
    c = ctx()
    st.caption(t("referrals.share_label"))
    st.code(referrals.share_url(c, user, page, base=link_base(), **params), language=None, wrap_lines=True)
    st.caption(t("referrals.share_hint", percent=percent_text(referrals.referral_rate_bps(c)),
                 days=REFERRAL_WINDOW.days))


CLICKED_KEY = "referrals.clicked"  # (code, target) pairs this session has already recorded
CLAIMED_KEY = "referrals.claimed_for"  # the account this session's anonymous clicks went to


def capture_referral(user: User | None, page: str) -> None:
    """Record a visit through a share link (?ref=CODE) once per code and target in this session.
    A code that does not exist, or is the visitor's own, is ignored without a word."""
    code = clean_code(query_text("ref", 16))
    if code is None:
        return
    target_id = query_id("id")
    target = f"{page}:{target_id}" if target_id is not None and target_id < 10**18 else page
    clicked: set[tuple[str, str]] = st.session_state.setdefault(CLICKED_KEY, set())
    if (code, target) in clicked:
        return
    clicked.add((code, target))
    referrals.record_click(ctx(), code, viewer_key(), user, target)


def claim_referral_clicks(user: User | None) -> None:
    """Once a session signs in (or up), its anonymous clicks count for that account."""
    if user is None:
        st.session_state.pop(CLAIMED_KEY, None)  # signed out: a later sign-in claims again
        return
    if st.session_state.get(CLAIMED_KEY) == user.id:
        return
    st.session_state[CLAIMED_KEY] = user.id
    if st.session_state.get(CLICKED_KEY):
        referrals.claim_visitor_clicks(ctx(), viewer_key(), user.id)
