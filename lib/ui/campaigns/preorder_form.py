"""Pre-ordering on a campaign page, and a new card for a pre-order whose charge failed.

Local gateway: one form (quantity, address, typed test card). Stripe: the same form without
the card, then a second step where Stripe.js saves the card in the browser and only the
SetupIntent id comes back.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import streamlit as st

from lib.domain.accounts import User
from lib.domain.campaigns import Campaign, Preorder, ShippingAddress, check_quantity
from lib.domain.errors import DomainError
from lib.services.campaigns import preorders
from lib.ui.card_entry import local_card_input, stripe_card_entry, uses_browser
from lib.ui.components import money, show_error
from lib.ui.forms import attempt
from lib.ui.i18n import t
from lib.ui.session import ctx

ADDRESS_FIELDS = ("name", "line1", "line2", "city", "postal_code", "country", "phone")


def show_preorder_error(exc: DomainError) -> None:
    """Like show_error, naming a missing address field in the reader's language."""
    if exc.key == "error.address_required" and exc.params.get("field") in ADDRESS_FIELDS:
        st.error(t(exc.key, field=t(f"address.{exc.params['field']}")))
    else:
        show_error(exc)


def address_inputs(prefix: str, user: User) -> dict[str, str]:
    key = f"{prefix}.address"
    if f"{key}.name" not in st.session_state:
        st.session_state[f"{key}.name"] = user.display_name
    st.markdown(f"**{t('campaign.ship_to')}**")
    values = {"name": st.text_input(t("address.name"), key=f"{key}.name", max_chars=200),
              "line1": st.text_input(t("address.line1"), key=f"{key}.line1", max_chars=200),
              "line2": st.text_input(t("address.line2"), key=f"{key}.line2", max_chars=200)}
    city, postal, country = st.columns(3)
    values["city"] = city.text_input(t("address.city"), key=f"{key}.city", max_chars=200)
    values["postal_code"] = postal.text_input(t("address.postal_code"), key=f"{key}.postal_code", max_chars=200)
    values["country"] = country.text_input(t("address.country"), key=f"{key}.country", max_chars=200,
                                           placeholder=t("address.country_placeholder"))
    values["phone"] = st.text_input(t("address.phone"), key=f"{key}.phone", max_chars=200)
    return values


def preorder_form(campaign: Campaign, user: User) -> None:
    """Quantity, shipping address and card; nothing is charged until the campaign succeeds."""
    gateway = ctx().payments
    if gateway is None:
        st.info(t("error.payments_unavailable"))
        return
    prefix = f"campaign.{campaign.id}"
    pending = st.session_state.get(f"{prefix}.pending")
    if pending and uses_browser(gateway):
        _card_step(campaign, user, gateway, prefix, pending)
        return
    browser = uses_browser(gateway)
    with st.form(f"{prefix}.preorder_form"):
        st.subheader(t("campaign.preorder"), anchor=False)
        st.caption(t("campaign.nothing_charged"))
        quantity = st.number_input(t("campaign.quantity"), min_value=0, value=1, step=1, key=f"{prefix}.quantity")
        fields = address_inputs(prefix, user)
        card = None if browser else local_card_input(f"{prefix}.card")
        submitted = st.form_submit_button(t("campaign.continue_to_card") if browser else t("campaign.place_preorder"),
                                          type="primary")
    if not submitted:
        return
    try:
        address = ShippingAddress.clean(**fields)
        if browser:  # check what we can before Stripe saves a card for nothing
            check_quantity(int(quantity))
            setup = preorders.begin_card_setup(ctx(), user, campaign.id)
            st.session_state[f"{prefix}.pending"] = {"quantity": int(quantity), "address": asdict(address),
                                                     "secret": setup.client_secret}
            st.rerun()
        preorders.place_preorder(ctx(), user, campaign.id, quantity=int(quantity), address=address, card=card)
    except DomainError as exc:
        show_preorder_error(exc)
        return
    st.session_state["flash"] = t("campaign.preordered", quantity=int(quantity),
                                  total=money(campaign.price.amount * int(quantity), campaign.price.currency))
    st.rerun()


def _card_step(campaign: Campaign, user: User, gateway: Any, prefix: str, pending: dict[str, Any]) -> None:
    quantity = pending["quantity"]
    st.subheader(t("campaign.card_step"), anchor=False)
    st.caption(t("campaign.card_step_summary", quantity=quantity,
                 total=money(campaign.price.amount * quantity, campaign.price.currency)))
    setup_ref = stripe_card_entry(gateway, pending["secret"], f"{prefix}.card_entry",
                                  t("campaign.save_card_and_preorder"))
    if setup_ref:
        st.session_state.pop(f"{prefix}.pending", None)  # a SetupIntent is used once, whatever happens
        attempt(lambda: preorders.place_preorder(ctx(), user, campaign.id, quantity=quantity,
                                                 address=ShippingAddress(**pending["address"]), setup_ref=setup_ref),
                t("campaign.preordered", quantity=quantity,
                  total=money(campaign.price.amount * quantity, campaign.price.currency)))
    if st.button(t("campaign.change_details"), key=f"{prefix}.change_details"):
        st.session_state.pop(f"{prefix}.pending", None)
        st.rerun()


def update_card_form(preorder: Preorder, user: User) -> None:
    """During the grace period after a failed charge: save another card (retried at the next run)."""
    gateway = ctx().payments
    if gateway is None:
        st.info(t("error.payments_unavailable"))
        return
    prefix = f"my_preorders.{preorder.id}"
    if not uses_browser(gateway):
        with st.form(f"{prefix}.card_form"):
            card = local_card_input(f"{prefix}.card")
            if st.form_submit_button(t("preorder.save_new_card"), type="primary"):
                attempt(lambda: preorders.update_card(ctx(), user, preorder.id, card=card), t("preorder.card_updated"))
        return
    secret = st.session_state.get(f"{prefix}.secret")
    if secret is None:
        if st.button(t("preorder.update_card"), key=f"{prefix}.start", type="primary"):
            setup = attempt(lambda: preorders.begin_card_update(ctx(), user, preorder.id), rerun=False)
            if setup is not None:
                st.session_state[f"{prefix}.secret"] = setup.client_secret
                st.rerun()
        return
    setup_ref = stripe_card_entry(gateway, secret, f"{prefix}.card_entry", t("preorder.save_new_card"))
    if setup_ref:
        st.session_state.pop(f"{prefix}.secret", None)
        attempt(lambda: preorders.update_card(ctx(), user, preorder.id, setup_ref=setup_ref),
                t("preorder.card_updated"))
