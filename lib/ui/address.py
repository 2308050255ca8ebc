"""A shipping address typed into a checkout form (or one used before, put in with a click), and its
errors named in the reader's language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict

import streamlit as st

from lib.domain.accounts import User
from lib.domain.campaigns import ShippingAddress
from lib.domain.errors import DomainError
from lib.services.commerce import orders
from lib.ui.components import plain, show_error
from lib.ui.i18n import t
from lib.ui.session import ctx

ADDRESS_FIELDS = ("name", "line1", "line2", "city", "postal_code", "country", "phone")


def show_checkout_error(exc: DomainError) -> None:
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


def past_address_choices(prefix: str, user: User) -> None:
    """Above a checkout form: the addresses this account shipped to before, newest first; one click puts
    one into the form (still editable), another empties it for a new address."""
    known = orders.past_addresses(ctx(), user)
    if not known:
        return
    key = f"{prefix}.address"
    st.caption(t("address.used_before"))
    for n, address in enumerate(known):
        st.button(plain(_one_line(address)), key=f"{key}.use_{n}", icon=":material/home:", on_click=_fill(key, address))
    st.button(t("address.new"), key=f"{key}.use_new", icon=":material/add:", type="tertiary",
              on_click=_fill(key, None, user.display_name))


def _one_line(address: ShippingAddress) -> str:
    parts = (address.name, address.line1, address.line2, f"{address.postal_code} {address.city}", address.country)
    return ", ".join(part.strip() for part in parts if part.strip())


def _fill(key: str, address: ShippingAddress | None, name: str = "") -> Callable[[], None]:
    def fill() -> None:
        values = asdict(address) if address is not None else {field: "" for field in ADDRESS_FIELDS} | {"name": name}
        for field in ADDRESS_FIELDS:
            st.session_state[f"{key}.{field}"] = values[field]

    return fill
