"""Forgotten password: ask for a link, then choose a new password from it."""

import streamlit as st

from lib.domain.accounts import MIN_PASSWORD_LENGTH
from lib.domain.errors import TokenInvalid
from lib.services.accounts import email_links
from lib.services.routes import Screen
from lib.ui.components import show_error
from lib.ui.forms import attempt
from lib.ui.i18n import t
from lib.ui.nav import go
from lib.ui.params import TOKEN_MAX, query_given, query_text
from lib.ui.session import client_key, ctx

st.title(t("reset.title"))
token = query_text("token", TOKEN_MAX)
if token is None and query_given("token"):  # not what we e-mail: the same message as a used link
    show_error(TokenInvalid())
elif token is None:
    with st.form("reset.request"):
        email = st.text_input(t("field.email"), key="reset.email", max_chars=254)
        sent = st.form_submit_button(t("reset.send"), type="primary")
    if sent and attempt(lambda: email_links.request_password_reset(ctx(), email, client=client_key()) or True,
                        rerun=False):
        st.success(t("reset.sent"))
else:
    with st.form("reset.choose"):
        password = st.text_input(t("field.new_password"), type="password", key="reset.password",
                                 help=t("sign_up.password_help", min=MIN_PASSWORD_LENGTH))
        confirm = st.text_input(t("field.password_again"), type="password", key="reset.confirm")
        submitted = st.form_submit_button(t("reset.save"), type="primary")
    if submitted:
        if password != confirm:
            st.error(t("error.password_mismatch"))
        elif attempt(lambda: email_links.reset_password(ctx(), token, password), rerun=False) is not None:
            st.success(t("reset.done"))
            if st.button(t("nav.sign_in")):
                go(Screen.SIGN_IN)
