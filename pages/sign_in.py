"""Sign in (and, while demo mode is on, the demo accounts to try)."""

from collections.abc import Callable

import streamlit as st

from lib.services.accounts import auth
from lib.services.demo import seed
from lib.services.routes import Screen
from lib.ui.forms import attempt
from lib.ui.gate import return_after_sign_in
from lib.ui.i18n import t
from lib.ui.nav import go, here
from lib.ui.params import query_return_address
from lib.ui.session import complete_sign_in, ctx


def _fill(email_: str, password_: str) -> Callable[[], None]:
    """Put a demo account into the form (the person still presses Sign in)."""

    def fill() -> None:
        st.session_state["sign_in.email"], st.session_state["sign_in.password"] = email_, password_

    return fill


st.title(t("sign_in.title"))
with st.form("sign_in.form"):
    email = st.text_input(t("field.email"), key="sign_in.email", max_chars=254)
    password = st.text_input(t("field.password"), type="password", key="sign_in.password")
    submitted = st.form_submit_button(t("sign_in.submit"), type="primary")
if submitted and (signed_in := attempt(lambda: auth.sign_in(ctx(), email=email, password=password),
                                       rerun=False)) is not None:
    complete_sign_in(signed_in)
    return_after_sign_in(signed_in.user)

col_a, col_b = st.columns(2)
if col_a.button(t("sign_in.forgot"), key="sign_in.forgot"):
    go(Screen.RESET_PASSWORD)
if col_b.button(t("sign_in.create"), key="sign_in.create"):
    go(Screen.SIGN_UP, **({"next": here()} if query_return_address() else {}))

if ctx().demo_mode:
    with st.expander(t("sign_in.demo_accounts"), expanded=True):
        st.caption(t("sign_in.demo_hint"))
        accounts = seed.demo_accounts()
        for role, email_, pw in accounts:
            st.button(t("sign_in.use_demo", role=t(f"role.{role}"), email=email_), key=f"sign_in.demo.{email_}",
                      type="tertiary", icon=":material/login:", on_click=_fill(email_, pw))
        st.caption(t("sign_in.demo_password", password=accounts[0][2]))
