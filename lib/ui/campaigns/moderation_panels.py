"""Moderation tabs for campaigns: maker applications, and opening campaigns from agreed quotes."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from lib.domain.accounts import User
from lib.domain.campaigns import DEFAULT_CAMPAIGN_DAYS, MAX_ACCOUNT_LIMIT, Quote, QuoteStatus
from lib.domain.ideas import IdeaStatus
from lib.domain.money import Money
from lib.services.campaigns import makers, opening
from lib.services.ideas import browse
from lib.services.routes import Screen
from lib.ui.campaigns.campaign_panels import quote_facts
from lib.ui.components import photo_row, plain
from lib.ui.fmt import day, money
from lib.ui.forms import act, attempt, feedback, money_input
from lib.ui.i18n import t
from lib.ui.nav import go
from lib.ui.session import ctx

# The makers' and campaigns' tabs each say what their last action did (not above every tab).
MAKERS_SAID, CAMPAIGNS_SAID = "mod.makers.said", "mod.campaigns.said"


def _decide_maker(user_id: int, verify: bool) -> Callable[[], None]:
    """Verify or decline, with the reason typed under the profile; a problem shows there."""
    return act(lambda u: makers.decide_maker(ctx(), u, user_id, verify,
                                             str(st.session_state.get(f"mod.maker_reason_{user_id}") or "")),
               t("mod.maker_verified") if verify else t("mod.maker_declined"), slot=MAKERS_SAID,
               error_slot=f"mod.maker_{user_id}")


def maker_applications(user: User | None) -> None:
    """Pending maker profiles, oldest first: verify, or decline with a reason the maker reads."""
    feedback(MAKERS_SAID)
    pending = attempt(lambda: makers.maker_applications(ctx(), user), rerun=False)
    if pending is None:
        return
    if not pending:
        st.info(t("mod.no_maker_applications"))
    for profile in pending:
        with st.container(border=True):
            st.markdown(f"**{plain(profile.business_name)}** · {plain(profile.location)}")
            st.caption(t("mod.maker_capabilities", capabilities=plain(profile.capabilities))
                       + " · " + t("mod.applied_on", date=day(profile.created_at)))
            st.markdown(plain(profile.description))
            if profile.sample_images:
                photo_row(profile.sample_images, profile.business_name)
            st.text_input(t("mod.reason"), key=f"mod.maker_reason_{profile.user_id}", max_chars=2000,
                          help=t("mod.maker_reason_help"))
            verify_col, decline_col, _ = st.columns([1, 1, 3])
            verify_col.button(t("mod.verify_maker"), key=f"mod.verify_maker_{profile.user_id}", type="primary",
                              on_click=_decide_maker(profile.user_id, True))
            decline_col.button(t("mod.decline_maker"), key=f"mod.decline_maker_{profile.user_id}",
                               on_click=_decide_maker(profile.user_id, False))
            feedback(f"mod.maker_{profile.user_id}")


def campaign_candidates() -> None:
    """Winning ideas and their open quotes; a quote its author agreed to can become a campaign."""
    feedback(CAMPAIGNS_SAID)
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
                _quote(quote)


def _quote(quote: Quote) -> None:
    st.markdown(f"{plain(quote.maker_name)} · {quote_facts(quote)}")
    if quote.notes:
        st.caption(plain(quote.notes))
    if quote.author_consent_at is None:
        st.caption(t("mod.waiting_for_author"))
        return
    st.success(t("quote.author_agreed", date=day(quote.author_consent_at)))
    prefix = f"mod.campaign_{quote.id}"
    with st.form(f"{prefix}.form"):
        days_col, cap_col, limit_col = st.columns(3)
        days_col.number_input(t("mod.campaign_days"), min_value=1, max_value=opening.MAX_CAMPAIGN_DAYS,
                              value=DEFAULT_CAMPAIGN_DAYS, step=1, key=f"{prefix}.days")
        cap_col.number_input(t("mod.campaign_cap"), min_value=1, step=1, value=None, key=f"{prefix}.cap",
                             help=t("mod.campaign_cap_help", goal=quote.moq))
        limit_col.number_input(t("mod.campaign_limit"), min_value=1, max_value=MAX_ACCOUNT_LIMIT, step=1,
                               value=None, key=f"{prefix}.limit", help=t("mod.campaign_limit_help"))
        lowest = opening.price_preview(ctx(), quote.unit_cost).price
        money_input(t("mod.campaign_price"), quote.unit_cost.currency, key=f"{prefix}.price", example=lowest)
        st.caption(t("mod.campaign_price_help", price=money(lowest), goal=quote.moq))
        st.form_submit_button(t("mod.open_campaign"), type="primary",
                              on_click=act(lambda u: _open_campaign(u, quote, prefix), slot=prefix))
    feedback(prefix)


def _open_campaign(user: User, quote: Quote, prefix: str) -> None:
    """The opening form's click, with what it holds now. The idea leaves this tab once its campaign is
    open, so that is said at the top of this tab; a refusal shows under the form."""
    state = st.session_state
    raw = str(state.get(f"{prefix}.price") or "")
    try:
        price = Money.parse_major(raw, quote.unit_cost.currency).amount if raw.strip() else None
    except ValueError:
        return  # the price field says what is wrong with it (money_input), nothing is opened
    cap, limit = state.get(f"{prefix}.cap"), state.get(f"{prefix}.limit")
    opening.open_campaign(ctx(), user, quote.id, days=int(state[f"{prefix}.days"]),
                          cap_units=int(cap) if cap is not None else None, price=price,
                          per_account_limit=int(limit) if limit is not None else None)
    state[CAMPAIGNS_SAID] = t("mod.campaign_opened")
