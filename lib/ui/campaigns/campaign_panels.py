"""Pieces of the campaign screens: price breakdown, progress, pre-order rows, quotes on an idea."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

import streamlit as st

from lib.domain.accounts import User
from lib.domain.campaigns import Campaign, CampaignStatus, Preorder, PreorderStatus, Quote, QuoteStatus
from lib.domain.ideas import IdeaStatus
from lib.domain.money import Money
from lib.services.campaigns import makers, opening, preorders
from lib.services.ideas.ports import IdeaDetail
from lib.ui.components import photo_row, plain
from lib.ui.fmt import day, money, when
from lib.ui.forms import act, confirm_step
from lib.ui.i18n import t
from lib.ui.session import ctx


def time_left(deadline: datetime) -> str:
    seconds = (deadline - datetime.now(UTC)).total_seconds()
    if seconds <= 0:
        return t("campaign.ended")
    if seconds < 86_400:
        return t("campaign.hours_left", count=max(1, int(seconds // 3600)))
    return t("campaign.days_left", count=int(seconds // 86_400))


def price_breakdown(campaign: Campaign) -> None:
    """Where each unit's price goes, shown to buyers before they commit."""
    st.metric(t("campaign.price"), money(campaign.price))
    extra = campaign.price - campaign.unit_cost - campaign.platform_fee - campaign.creator_royalty \
        - campaign.co_creator_pool
    rows: list[tuple[str, Money]] = [(t("campaign.unit_cost"), campaign.unit_cost)]
    if extra.amount > 0:
        rows.append((t("campaign.maker_margin"), extra))
    rows += [(t("campaign.platform_fee"), campaign.platform_fee), (t("campaign.creator_royalty"),
                                                                   campaign.creator_royalty),
             (t("campaign.co_creator_pool"), campaign.co_creator_pool)]
    with st.expander(t("campaign.breakdown"), expanded=True):
        for label, amount in rows:
            name, value = st.columns([3, 2])
            name.caption(label)
            value.caption(money(amount))
        st.caption(t("campaign.breakdown_help"))


def campaign_progress(campaign: Campaign) -> None:
    st.progress(min(1.0, campaign.pledged_units / max(1, campaign.goal_units)),
                text=t("campaigns.progress", pledged=campaign.pledged_units, goal=campaign.goal_units))
    facts = [t(f"campaign.status.{campaign.status.value}")]
    if campaign.status is CampaignStatus.OPEN:
        facts.append(time_left(campaign.deadline))
    facts.append(t("campaign.deadline", date=when(campaign.deadline)))
    if campaign.units_left is not None:
        facts.append(t("campaigns.units_left", count=campaign.units_left))
    st.caption(" · ".join(facts))
    if campaign.status is CampaignStatus.OPEN:
        st.caption(t("campaign.how_it_works"))


def preorder_facts(preorder: Preorder) -> str:
    """Status, quantity, amount and card of one pre-order, for its owner."""
    facts = [t(f"preorder.status.{preorder.status.value}"), t("preorder.quantity", count=preorder.quantity),
             money(preorder.amount)]
    if preorder.card_last4:
        facts.append(t("preorder.card", brand=(preorder.card_brand or "card").title(), last4=preorder.card_last4))
    return " · ".join(facts)


def can_cancel(preorder: Preorder, campaign: Campaign) -> bool:
    """Only to decide whether to show the button; the service decides."""
    return (preorder.status is PreorderStatus.PLEDGED and campaign.status is CampaignStatus.OPEN
            and datetime.now(UTC) < campaign.deadline)


def cancel_button(preorder: Preorder, user: User, key: str) -> None:
    """Cancel a pre-order, after a second click that says what is given up."""
    confirm_step(t("preorder.cancel"), key, t("preorder.cancel_question", count=preorder.quantity,
                                              amount=money(preorder.amount)),
                 yes=t("preorder.cancel_yes"), on_yes=act(lambda u: preorders.cancel_preorder(ctx(), u, preorder.id),
                                                          t("preorder.cancelled")))


def _agree(quote_id: int, user: User) -> None:
    opening.consent_to_quote(ctx(), user, quote_id)


def quote_facts(quote: Quote) -> str:
    return " · ".join([t("quote.unit_cost", amount=money(quote.unit_cost)), t("quote.moq", units=quote.moq),
                       t("quote.lead_time", count=quote.lead_time_days)])


def quotes_panel(detail: IdeaDetail, user: User | None) -> None:
    """A winning idea's quotes; its author agrees to the one they want made."""
    if detail.status is not IdeaStatus.WINNING:
        return
    quotes = [q for q in makers.quotes_for_idea(ctx(), detail.id) if q.status is QuoteStatus.OPEN]
    st.subheader(t("quote.title", count=len(quotes)), anchor=False)
    author = user is not None and user.id == detail.author_id
    if not quotes:
        st.caption(t("quote.none_yet"))
    elif author:
        st.caption(t("quote.author_help"))
    for quote in quotes:
        with st.container(border=True):
            st.markdown(f"**{plain(quote.maker_name)}**")
            st.caption(quote_facts(quote))
            if quote.notes:
                st.markdown(plain(quote.notes))
            photo_row(quote.image_keys, quote.maker_name)
            if quote.author_consent_at is not None:
                st.success(t("quote.author_agreed", date=day(quote.author_consent_at)))
            elif author:
                st.button(t("quote.agree"), key=f"agree_quote_{quote.id}", type="primary", on_click=act(
                    partial(_agree, quote.id), t("quote.agreed")))
