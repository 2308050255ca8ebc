"""The parts of the Maker studio: the application, quoting on winning ideas, quotes and orders."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from lib.domain.accounts import User
from lib.domain.campaigns import MakerProfile, MakerStatus, Quote, QuoteStatus
from lib.domain.money import Money
from lib.services.campaigns import makers, opening
from lib.services.campaigns.maker_preorders import CampaignOrders, MakerOrder, maker_orders
from lib.services.ideas import browse
from lib.services.routes import Screen
from lib.ui.campaigns.campaign_panels import quote_facts, time_left
from lib.ui.components import demand_chart, image, plain
from lib.ui.fmt import day, money
from lib.ui.forms import FLASH, act, attempt, feedback, money_input
from lib.ui.i18n import t
from lib.ui.nav import go
from lib.ui.session import ctx
from lib.ui.uploads import image_uploader


def application(profile: MakerProfile | None, user: User) -> None:
    """Apply (or apply again after a decline); a pending application can be corrected. (The click acts as
    the person signed in then: `user`, who drew the page, is not needed.)"""
    if profile is None:
        st.markdown(t("maker.apply_intro"))
    elif profile.status is MakerStatus.PENDING:
        st.info(t("maker.pending", name=plain(profile.business_name)))
    else:
        st.warning(t("maker.declined"))
        if profile.decision_note:
            st.markdown(f"> {plain(profile.decision_note)}")
    if profile is not None and profile.status is MakerStatus.PENDING:
        with st.expander(t("maker.update_application")):
            _application_form(profile)
    else:
        _application_form(profile)


def _application_form(profile: MakerProfile | None) -> None:
    prefix = "maker.apply"
    if profile is not None and f"{prefix}.business_name" not in st.session_state:
        st.session_state.update({f"{prefix}.business_name": profile.business_name,
                                 f"{prefix}.description": profile.description,
                                 f"{prefix}.capabilities": profile.capabilities,
                                 f"{prefix}.location": profile.location})
    with st.form(f"{prefix}.form"):
        st.text_input(t("maker.business_name"), key=f"{prefix}.business_name", max_chars=120)
        st.text_area(t("maker.description"), key=f"{prefix}.description", max_chars=5000)
        st.text_input(t("maker.capabilities"), key=f"{prefix}.capabilities", max_chars=500,
                      help=t("maker.capabilities_help"))
        st.text_input(t("maker.location"), key=f"{prefix}.location", max_chars=120)
        image_uploader(t("maker.samples"), f"{prefix}.samples", multiple=True,
                       help=t("maker.samples_help", max=makers.MAX_SAMPLES))
        label = t("maker.apply") if profile is None else t("maker.apply_again")
        st.form_submit_button(label, type="primary", on_click=act(lambda u: _apply(u, prefix),
                                                                  slot=f"{prefix}.outcome"))
    feedback(f"{prefix}.outcome")


def _apply(user: User, prefix: str) -> None:
    """The application form's click, with what it holds now. Sent, the form moves into a closed
    "update" expander, so that is said at the top of the page; a refusal shows under the form."""
    state = st.session_state
    makers.apply_as_maker(ctx(), user, business_name=state[f"{prefix}.business_name"],
                          description=state[f"{prefix}.description"], capabilities=state[f"{prefix}.capabilities"],
                          location=state[f"{prefix}.location"],
                          samples=[f.getvalue() for f in state.get(f"{prefix}.samples") or []])
    state[FLASH] = t("maker.applied")


def quote_form(idea_id: int, quote: Quote | None = None) -> None:
    """A new quote on a winning idea, or a revision of an open one (a revision voids the author's consent)."""
    prefix = f"maker.quote.{quote.id}" if quote else f"maker.quote.new_{idea_id}"
    currency = quote.unit_cost.currency if quote else ctx().currency
    if quote is not None and f"{prefix}.unit_cost" not in st.session_state:
        st.session_state[f"{prefix}.unit_cost"] = quote.unit_cost.major_text()
    with st.form(f"{prefix}.form"):
        money_input(t("quote.unit_cost_label"), currency, key=f"{prefix}.unit_cost")
        moq_col, lead_col = st.columns(2)
        moq_col.number_input(t("quote.moq_label"), min_value=0, step=1, key=f"{prefix}.moq",
                             value=quote.moq if quote else None)
        lead_col.number_input(t("quote.lead_time_label"), min_value=0, step=1, key=f"{prefix}.lead",
                              value=quote.lead_time_days if quote else None)
        st.text_area(t("quote.notes_label"), key=f"{prefix}.notes", max_chars=5000, value=quote.notes if quote else "")
        if quote is None:
            image_uploader(t("quote.images"), f"{prefix}.images", multiple=True)
        st.form_submit_button(t("quote.revise") if quote else t("quote.submit"), type="primary",
                              on_click=act(lambda u: _send_quote(u, idea_id, quote, prefix, currency),
                                           slot=f"{prefix}.outcome"))
    feedback(f"{prefix}.outcome")


def _send_quote(user: User, idea_id: int, quote: Quote | None, prefix: str, currency: str) -> None:
    """The quote form's click, with what it holds now. A new quote replaces its form with a note, so
    what happened is said at the top of the page; a refusal shows under the form."""
    state = st.session_state
    raw = str(state.get(f"{prefix}.unit_cost") or "")
    try:
        cost = Money.parse_major(raw, currency).amount if raw.strip() else 0
    except ValueError:
        return  # the amount field says what is wrong with it (money_input), nothing is sent
    units, days, notes = int(state.get(f"{prefix}.moq") or 0), int(state.get(f"{prefix}.lead") or 0), \
        str(state.get(f"{prefix}.notes") or "")
    if quote is None:
        makers.submit_quote(ctx(), user, idea_id, unit_cost=cost, moq=units, lead_time_days=days, notes=notes,
                            images=[f.getvalue() for f in state.get(f"{prefix}.images") or []])
        state[FLASH] = t("quote.sent")
    else:
        makers.revise_quote(ctx(), user, quote.id, unit_cost=cost, moq=units, lead_time_days=days, notes=notes)
        state[FLASH] = t("quote.revised")


def winning_ideas(user: User) -> None:
    found = attempt(lambda: (makers.winning_ideas(ctx(), user), makers.my_quotes(ctx(), user)), rerun=False)
    if found is None:
        return
    cards, quotes = found
    open_quotes = {q.idea_id: q for q in quotes if q.status is QuoteStatus.OPEN}
    st.caption(t("maker.winning_help"))
    if not cards:
        st.info(t("maker.no_winning"))
    for card in cards:
        with st.container(border=True):
            cover, text = st.columns([1, 3])
            with cover:
                image(card.cover_image, t("image.cover", title=card.title))
            text.markdown(f"**{plain(card.title)}**")
            text.caption(plain(card.pitch))
            text.caption(t("idea.supporters_of", count=card.support_count, threshold=card.threshold))
            if text.button(t("idea.open"), key=f"maker.open_idea_{card.id}"):
                go(Screen.IDEA, id=card.id)
            detail = browse.idea_detail(ctx(), user, card.id)
            if detail is not None:
                demand_chart(detail)
                if not detail.demand:
                    st.caption(t("maker.no_demand"))
            mine = open_quotes.get(card.id)
            if mine is not None:
                st.info(t("maker.already_quoted", facts=quote_facts(mine)))
            else:
                with st.expander(t("maker.quote_this")):
                    quote_form(card.id)


def my_quotes(user: User) -> None:
    quotes = attempt(lambda: makers.my_quotes(ctx(), user), rerun=False)
    if quotes is None:
        return
    if not quotes:
        st.info(t("maker.no_quotes"))
    for quote in quotes:
        detail = browse.idea_detail(ctx(), user, quote.idea_id)
        with st.container(border=True):
            title = plain(detail.title) if detail else t("maker.idea_ref", id=quote.idea_id)
            st.markdown(f"**{title}** · {t('quote.status.' + quote.status.value)}")
            st.caption(quote_facts(quote))
            if quote.notes:
                st.markdown(plain(quote.notes))
            if quote.author_consent_at is not None and quote.status is QuoteStatus.OPEN:
                st.success(t("maker.author_agreed"))
            if quote.status is QuoteStatus.CHOSEN:
                found = opening.campaign_for_idea(ctx(), quote.idea_id)
                if found and st.button(t("maker.open_campaign"), key=f"maker.quote_campaign_{quote.id}"):
                    go(Screen.CAMPAIGN, id=found.id)
            if quote.status is QuoteStatus.OPEN:
                with st.expander(t("quote.revise")):
                    quote_form(quote.idea_id, quote)
                st.button(t("quote.withdraw"), key=f"maker.withdraw_{quote.id}", on_click=_withdraw(quote.id))


def _withdraw(quote_id: int) -> Callable[[], None]:
    return act(lambda u: makers.withdraw_quote(ctx(), u, quote_id), t("quote.withdrawn"))


def my_campaigns(user: User) -> None:
    note, button = st.columns([4, 1])
    note.info(t("orders.maker_link"))
    if button.button(t("orders.open_fulfil"), key="maker.open_fulfil"):
        go(Screen.MAKER_ORDERS)
    found = attempt(lambda: maker_orders(ctx(), user), rerun=False)
    if found is None:
        return
    if not found:
        st.info(t("maker.no_campaigns"))
    for item in found:
        _campaign_orders(item)


def _campaign_orders(item: CampaignOrders) -> None:
    campaign = item.campaign
    with st.container(border=True):
        title, open_col = st.columns([4, 1])
        title.markdown(f"**{plain(campaign.title)}** · {t('campaign.status.' + campaign.status.value)}")
        if open_col.button(t("maker.open_campaign"), key=f"maker.campaign_{campaign.id}"):
            go(Screen.CAMPAIGN, id=campaign.id)
        st.progress(min(1.0, item.committed_units / max(1, campaign.goal_units)),
                    text=t("campaigns.progress", pledged=item.committed_units, goal=campaign.goal_units))
        facts = [t("maker.paid_units", count=item.paid_units), t("campaign.price") + " " + money(campaign.price)]
        if campaign.status.value == "open":
            facts.append(time_left(campaign.deadline))
        st.caption(" · ".join(facts))
        if not item.orders:
            st.caption(t("maker.no_orders"))
            return
        st.dataframe([_order_row(order) for order in item.orders], hide_index=True, width="stretch")


def _order_row(order: MakerOrder) -> dict[str, object]:
    address = order.address
    ship_to = ", ".join(part for part in (address.name, address.line1, address.line2, address.city,
                                          address.postal_code, address.country, address.phone) if part) \
        if address else t("maker.ship_to_after_payment")
    return {t("maker.order_no"): f"#{order.id}", t("maker.order_quantity"): order.quantity,
            t("maker.order_amount"): money(order.amount), t("maker.order_status"):
            t(f"preorder.status.{order.status.value}"), t("maker.order_date"): day(order.created_at),
            t("maker.order_ship_to"): ship_to}
