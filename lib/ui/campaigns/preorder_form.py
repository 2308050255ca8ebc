"""Pre-ordering on a campaign page, and a new card for a pre-order whose charge failed.

Local gateway: one form (quantity, address, typed test card). Stripe: the same form without
the card, then a second step where Stripe.js saves the card in the browser and only the
SetupIntent id comes back.
"""

from __future__ import annotations

import streamlit as st

from lib.domain.accounts import User
from lib.domain.campaigns import Campaign, Preorder, check_quantity
from lib.services.campaigns import preorders
from lib.ui.address import show_checkout_error
from lib.ui.card_entry import CardCheckout, card_checkout, local_card_input, save_card_then, uses_browser
from lib.ui.fmt import day, money
from lib.ui.forms import attempt
from lib.ui.i18n import t
from lib.ui.session import ctx


def preorder_form(campaign: Campaign, user: User) -> None:
    """Quantity, shipping address and card; nothing is charged until the campaign succeeds."""
    prefix = f"campaign.{campaign.id}"

    def total(quantity: int) -> str:
        return money(campaign.price.amount * quantity, campaign.price.currency)

    card_checkout(user, CardCheckout(
        prefix=prefix, form_key=f"{prefix}.preorder_form", title=t("campaign.preorder"),
        note=t("campaign.nothing_charged"),
        quantity=lambda: st.number_input(t("campaign.quantity"), min_value=0, value=1, step=1,
                                         key=f"{prefix}.quantity"),
        total=lambda quantity: t("campaign.total_line", total=total(quantity), date=day(campaign.deadline)),
        submit=t("campaign.place_preorder"), to_card=t("campaign.continue_to_card"), check=check_quantity,
        begin=lambda: preorders.begin_card_setup(ctx(), user, campaign.id),
        place=lambda quantity, address, card, setup_ref, key: preorders.place_preorder(
            ctx(), user, campaign.id, quantity=quantity, address=address, card=card, setup_ref=setup_ref,
            request_key=key),
        done=lambda quantity: t("campaign.preordered", quantity=quantity, total=total(quantity)),
        card_title=t("campaign.card_step"),
        card_summary=lambda quantity: t("campaign.card_step_summary", count=quantity, total=total(quantity)),
        pay_label=t("campaign.save_card_and_preorder"), change_label=t("campaign.change_details"),
        show=show_checkout_error))


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
    save_card_then(gateway, secret, f"{prefix}.card_entry", t("preorder.save_new_card"), secret_key=f"{prefix}.secret",
                   pay=lambda setup_ref: preorders.update_card(ctx(), user, preorder.id, setup_ref=setup_ref),
                   success=t("preorder.card_updated"))
