"""Moderation tabs for campaigns: maker applications, and opening campaigns from agreed quotes."""

from __future__ import annotations

from functools import partial

import streamlit as st

from lib.domain.accounts import User
from lib.domain.campaigns import DEFAULT_CAMPAIGN_DAYS, MAX_ACCOUNT_LIMIT, Quote, QuoteStatus
from lib.domain.ideas import IdeaStatus
from lib.services.campaigns import makers, opening
from lib.services.ideas import browse
from lib.services.routes import Screen
from lib.ui.campaigns.campaign_panels import quote_facts
from lib.ui.components import photo_row, plain
from lib.ui.forms import attempt, money_input
from lib.ui.i18n import t
from lib.ui.nav import go
from lib.ui.session import ctx


def maker_applications(user: User | None) -> None:
    """Pending maker profiles, oldest first: verify, or decline with a reason the maker reads."""
    pending = attempt(lambda: makers.maker_applications(ctx(), user), rerun=False)
    if pending is None:
        return
    if not pending:
        st.info(t("mod.no_maker_applications"))
    for profile in pending:
        with st.container(border=True):
            st.markdown(f"**{plain(profile.business_name)}** · {plain(profile.location)}")
            st.caption(t("mod.maker_capabilities", capabilities=plain(profile.capabilities))
                       + " · " + t("mod.applied_on", date=f"{profile.created_at:%Y-%m-%d}"))
            st.markdown(plain(profile.description))
            if profile.sample_images:
                photo_row(profile.sample_images, profile.business_name)
            reason = st.text_input(t("mod.reason"), key=f"mod.maker_reason_{profile.user_id}", max_chars=2000,
                                   help=t("mod.maker_reason_help"))
            verify_col, decline_col, _ = st.columns([1, 1, 3])
            if verify_col.button(t("mod.verify_maker"), key=f"mod.verify_maker_{profile.user_id}", type="primary"):
                attempt(partial(makers.decide_maker, ctx(), user, profile.user_id, True, reason),
                        t("mod.maker_verified"))
            if decline_col.button(t("mod.decline_maker"), key=f"mod.decline_maker_{profile.user_id}"):
                attempt(partial(makers.decide_maker, ctx(), user, profile.user_id, False, reason),
                        t("mod.maker_declined"))


def campaign_candidates(user: User | None) -> None:
    """Winning ideas and their open quotes; a quote its author agreed to can become a campaign."""
    cards, _ = browse.browse_ideas(ctx(), feed="top", statuses=[IdeaStatus.WINNING], limit=50, with_total=False)
    st.caption(t("mod.campaigns_help"))
    if not cards:
        st.info(t("mod.no_winning"))
    for card in cards:
        quotes = [q for q in makers.quotes_for_idea(ctx(), card.id) if q.status is QuoteStatus.OPEN]
        with st.container(border=True):
            title, open_col = st.columns([4, 1])
            title.markdown(f"**{plain(card.title)}** · " + t("mod.quote_count", count=len(quotes)))
            if open_col.button(t("idea.open"), key=f"mod.winning_open_{card.id}"):
                go(Screen.IDEA, id=card.id)
            if not quotes:
                st.caption(t("mod.no_quotes"))
            for quote in quotes:
                _quote(quote, user)


def _quote(quote: Quote, user: User | None) -> None:
    st.markdown(f"{plain(quote.maker_name)} · {quote_facts(quote)}")
    if quote.notes:
        st.caption(plain(quote.notes))
    if quote.author_consent_at is None:
        st.caption(t("mod.waiting_for_author"))
        return
    st.success(t("quote.author_agreed", date=f"{quote.author_consent_at:%Y-%m-%d}"))
    prefix = f"mod.campaign_{quote.id}"
    with st.form(f"{prefix}.form"):
        days_col, cap_col, limit_col = st.columns(3)
        days = days_col.number_input(t("mod.campaign_days"), min_value=1, max_value=opening.MAX_CAMPAIGN_DAYS,
                                     value=DEFAULT_CAMPAIGN_DAYS, step=1, key=f"{prefix}.days")
        cap = cap_col.number_input(t("mod.campaign_cap"), min_value=1, step=1, value=None, key=f"{prefix}.cap",
                                   help=t("mod.campaign_cap_help", goal=quote.moq))
        limit = limit_col.number_input(t("mod.campaign_limit"), min_value=1, max_value=MAX_ACCOUNT_LIMIT, step=1,
                                       value=None, key=f"{prefix}.limit", help=t("mod.campaign_limit_help"))
        price = money_input(t("mod.campaign_price"), quote.unit_cost.currency, key=f"{prefix}.price")
        lowest = opening.price_preview(ctx(), quote.unit_cost).price
        st.caption(t("mod.campaign_price_help", price=lowest.format(), goal=quote.moq))
        submitted = st.form_submit_button(t("mod.open_campaign"), type="primary")
    if submitted and not (price is None and str(st.session_state.get(f"{prefix}.price", "")).strip()):
        attempt(partial(opening.open_campaign, ctx(), user, quote.id, days=int(days),
                        cap_units=int(cap) if cap is not None else None, price=price,
                        per_account_limit=int(limit) if limit is not None else None), t("mod.campaign_opened"))
