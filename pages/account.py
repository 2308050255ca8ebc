"""My account: name, language, e-mail verification, sign out (here or everywhere)."""

import streamlit as st

from lib.services.accounts import auth, email_links
from lib.services.routes import Screen
from lib.ui.components import plain
from lib.ui.forms import attempt
from lib.ui.i18n import LANGUAGES, t
from lib.ui.nav import go
from lib.ui.session import client_key, ctx, require_user, sign_out

user = require_user()

st.title(t("account.title"))
if flash := st.session_state.pop("account.flash", None):
    st.success(flash)
st.caption(t("account.email", email=plain(user.email)))
st.caption(t("account.referral_code", code=user.referral_code))
st.caption(t("account.roles", roles=", ".join(t(f"role.{r.value}") for r in sorted(user.roles))))

if not user.is_verified:
    st.warning(t("account.unverified"))
    if st.button(t("account.resend"), key="account.resend") and attempt(
            lambda: email_links.resend_verification(ctx(), user.id, client=client_key()) or True, rerun=False):
        st.success(t("account.resent"))

with st.form("account.profile"):
    name = st.text_input(t("field.display_name"), value=user.display_name, max_chars=200)
    codes = list(LANGUAGES)
    locale = st.selectbox(t("field.language"), codes, index=codes.index(user.locale),
                          format_func=LANGUAGES.__getitem__)
    saved = st.form_submit_button(t("common.save"))
if saved and attempt(lambda: auth.update_profile(ctx(), user, display_name=name, locale=locale),
                    rerun=False) is not None:
    st.session_state["i18n.lang"] = locale
    st.session_state["account.flash"] = t("account.saved")
    st.rerun()

st.divider()
col_a, col_b = st.columns(2)
if col_a.button(t("account.sign_out"), key="account.sign_out", type="primary"):
    sign_out()
    go(Screen.DISCOVER)
if col_b.button(t("account.sign_out_everywhere"), key="account.sign_out_everywhere"):
    sign_out(everywhere=True)
    go(Screen.DISCOVER)
