"""The "Fees and shares" section of the admin settings page: the rates the ledger splits sales by."""

from __future__ import annotations

import streamlit as st

from lib.domain.accounts import User
from lib.domain.errors import InvalidInput
from lib.domain.ledger import BASIS_POINTS, Rates
from lib.domain.money import Money
from lib.services.ledger import books
from lib.ui.forms import act, feedback
from lib.ui.i18n import t
from lib.ui.session import ctx

# (field, label key) of each rate in basis points.
RATE_FIELDS = (("platform_fee_bps", "ledger.fees.platform_fee"), ("creator_royalty_bps", "ledger.fees.creator_royalty"),
               ("co_creator_pool_bps", "ledger.fees.co_creator_pool"), ("referral_bps", "ledger.fees.referral"),
               ("payment_fee_bps", "ledger.fees.payment_fee"))
OUTCOME = "settings.fees.outcome"  # what the last save said (not the form's key: st.form refuses state under it)


def render_fee_settings() -> None:
    """Admins change the fee rates; shop sales use them from then on (campaigns keep theirs)."""
    current = books.current_rates(ctx())
    currency = ctx().currency
    st.subheader(t("ledger.fees.title"), anchor=False)
    st.caption(t("ledger.fees.help"))
    with st.form("settings.fees"):
        for field, label in RATE_FIELDS:
            st.number_input(t(label), min_value=0, max_value=BASIS_POINTS, step=10, value=getattr(current, field),
                            key=f"settings.fees.{field}")
        st.text_input(t("ledger.fees.payment_fee_fixed", currency=currency), max_chars=15,
                      value=Money(current.payment_fee_fixed, currency).major_text(),
                      key="settings.fees.payment_fee_fixed")
        st.form_submit_button(t("ledger.fees.save"), on_click=act(lambda u: _save_rates(u, currency),
                                                                  t("ledger.fees.saved"), slot=OUTCOME))
    feedback(OUTCOME)


def _save_rates(user: User, currency: str) -> Rates:
    """The fee form's click, with the rates it holds now."""
    values = {field: int(st.session_state[f"settings.fees.{field}"]) for field, _label in RATE_FIELDS}
    try:
        values["payment_fee_fixed"] = Money.parse_major(st.session_state["settings.fees.payment_fee_fixed"],
                                                        currency).amount
    except ValueError:
        raise InvalidInput("error.amount_format") from None
    return books.update_rates(ctx(), user, **values)
