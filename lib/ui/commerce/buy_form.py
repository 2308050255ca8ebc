"""Buying from a listing: quantity, shipping address and card, charged at once.

The same two steps as the pre-order form (both drawn by lib/ui/card_entry.py card_checkout): the
local gateway takes a typed test card in the form; with Stripe the form comes first, then Stripe.js
saves the card in the browser and only the SetupIntent id returns.
"""

from __future__ import annotations

import streamlit as st

from lib.domain.accounts import User
from lib.domain.orders import MAX_BUY_QUANTITY, Listing, check_buy_quantity
from lib.domain.shop import PurchaseState
from lib.services.commerce import checkout, shop
from lib.ui.address import show_checkout_error
from lib.ui.card_entry import CardCheckout, card_checkout
from lib.ui.fmt import money
from lib.ui.i18n import t
from lib.ui.session import ctx


def buy_form(listing: Listing, user: User, state: PurchaseState) -> None:
    """The buy box of a listing page ("Buy again" once this account has bought it)."""
    prefix = f"listing.{listing.id}"
    title = t("shop.buy_again") if state.bought_before else t("shop.buy_now")

    def total(quantity: int) -> str:
        return money(listing.price.amount * quantity, listing.price.currency)

    card_checkout(user, CardCheckout(
        prefix=prefix, form_key=f"{prefix}.buy_form", title=title, note=t("shop.charged_now"),
        quantity=lambda: st.number_input(t("shop.quantity"), min_value=1, max_value=MAX_BUY_QUANTITY, value=1,
                                         step=1, key=f"{prefix}.quantity"),
        total=lambda quantity: t("shop.total_line", total=total(quantity)),
        submit=title, to_card=t("shop.continue_to_card"), check=check_buy_quantity,
        begin=lambda: shop.begin_card_setup(ctx(), user, listing.id),
        place=lambda quantity, address, card, setup_ref, key: checkout.buy_now(
            ctx(), user, listing.id, quantity=quantity, address=address, card=card, setup_ref=setup_ref,
            request_key=key),
        done=lambda quantity: t("shop.bought", count=quantity, total=total(quantity)),
        card_title=t("shop.card_step"),
        card_summary=lambda quantity: t("shop.card_step_summary", count=quantity, total=total(quantity)),
        pay_label=t("shop.pay_now"), change_label=t("shop.change_details"), show=show_checkout_error))
