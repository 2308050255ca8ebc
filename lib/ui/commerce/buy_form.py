"""Buying from a listing: quantity, shipping address and card, charged at once.

The same two shapes as the pre-order form (lib/ui/preorder_form.py, whose address fields and
error display are reused): the local gateway takes a typed test card in the form; with Stripe the
form comes first, then Stripe.js saves the card in the browser and only the SetupIntent id returns.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import streamlit as st

from lib.domain.accounts import User
from lib.domain.campaigns import ShippingAddress
from lib.domain.errors import DomainError
from lib.domain.orders import MAX_BUY_QUANTITY, Listing, check_buy_quantity
from lib.domain.shop import PurchaseState
from lib.services.commerce import checkout, shop
from lib.ui.campaigns.preorder_form import address_inputs, show_preorder_error
from lib.ui.card_entry import local_card_input, stripe_card_entry, uses_browser
from lib.ui.components import money
from lib.ui.i18n import t
from lib.ui.session import ctx


def _bought_message(listing: Listing, quantity: int) -> str:
    return t("shop.bought", quantity=quantity, total=money(listing.price.amount * quantity, listing.price.currency))


def buy_form(listing: Listing, user: User, state: PurchaseState) -> None:
    """The buy box of a listing page ("Buy again" once this account has bought it)."""
    gateway = ctx().payments
    if gateway is None:
        st.info(t("error.payments_unavailable"))
        return
    prefix = f"listing.{listing.id}"
    pending = st.session_state.get(f"{prefix}.pending")
    browser = uses_browser(gateway)
    if pending and browser:
        _card_step(listing, user, gateway, prefix, pending)
        return
    title = t("shop.buy_again") if state.bought_before else t("shop.buy_now")
    with st.form(f"{prefix}.buy_form"):
        st.subheader(title, anchor=False)
        st.caption(t("shop.charged_now"))
        quantity = st.number_input(t("shop.quantity"), min_value=1, max_value=MAX_BUY_QUANTITY, value=1, step=1,
                                   key=f"{prefix}.quantity")
        fields = address_inputs(prefix, user)
        card = None if browser else local_card_input(f"{prefix}.card")
        label = t("shop.continue_to_card") if browser else title
        submitted = st.form_submit_button(label, type="primary")
    if not submitted:
        return
    quantity = int(quantity)
    try:
        address = ShippingAddress.clean(**fields)
        if browser:  # check what we can before Stripe saves a card for nothing
            check_buy_quantity(quantity)
            setup = shop.begin_card_setup(ctx(), user, listing.id)
            st.session_state[f"{prefix}.pending"] = {"quantity": quantity, "address": asdict(address),
                                                     "secret": setup.client_secret}
            st.rerun()
        checkout.buy_now(ctx(), user, listing.id, quantity=quantity, address=address, card=card)
    except DomainError as exc:
        show_preorder_error(exc)
        return
    st.session_state["flash"] = _bought_message(listing, quantity)
    st.rerun()


def _card_step(listing: Listing, user: User, gateway: Any, prefix: str, pending: dict[str, Any]) -> None:
    quantity = pending["quantity"]
    st.subheader(t("shop.card_step"), anchor=False)
    st.caption(t("shop.card_step_summary", quantity=quantity,
                 total=money(listing.price.amount * quantity, listing.price.currency)))
    setup_ref = stripe_card_entry(gateway, pending["secret"], f"{prefix}.card_entry", t("shop.pay_now"))
    if setup_ref:
        st.session_state.pop(f"{prefix}.pending", None)  # a SetupIntent is used once, whatever happens
        try:
            checkout.buy_now(ctx(), user, listing.id, quantity=quantity, address=ShippingAddress(**pending["address"]),
                         setup_ref=setup_ref)
        except DomainError as exc:
            show_preorder_error(exc)
        else:
            st.session_state["flash"] = _bought_message(listing, quantity)
            st.rerun()
    if st.button(t("shop.change_details"), key=f"{prefix}.change_details"):
        st.session_state.pop(f"{prefix}.pending", None)
        st.rerun()
