"""Create an account: e-mail, display name, password (at least 10 characters)."""

import streamlit as st

from lib.domain.accounts import MIN_PASSWORD_LENGTH
from lib.services.accounts import auth
from lib.ui.forms import attempt
from lib.ui.gate import return_after_sign_in
from lib.ui.i18n import current_language, t
from lib.ui.session import client_key, complete_sign_in, ctx

st.title(t("sign_up.title"))
with st.form("sign_up.form"):
    email = st.text_input(t("field.email"), key="sign_up.email", max_chars=254)
    name = st.text_input(t("field.display_name"), key="sign_up.name", max_chars=200)
    password = st.text_input(t("field.password"), type="password", key="sign_up.password",
                             help=t("sign_up.password_help", min=MIN_PASSWORD_LENGTH))
    confirm = st.text_input(t("field.password_again"), type="password", key="sign_up.confirm")
    submitted = st.form_submit_button(t("sign_up.submit"), type="primary")


def _join() -> auth.SignedIn:
    auth.sign_up(ctx(), email=email, display_name=name, password=password, locale=current_language(),
                 client=client_key())
    return auth.sign_in(ctx(), email=email, password=password)


if submitted:
    if password != confirm:
        st.error(t("error.password_mismatch"))
    elif (signed_in := attempt(_join, rerun=False)) is not None:
        complete_sign_in(signed_in)
        return_after_sign_in(signed_in.user, new=True)
