"""My account: name, language, time zone, e-mail verification, sign out (here or everywhere)."""

import streamlit as st

from lib.domain.accounts import User, time_zones
from lib.services.accounts import auth, email_links
from lib.services.routes import Screen
from lib.ui.components import plain
from lib.ui.forms import act, confirm_step, feedback
from lib.ui.i18n import LANG_KEY, LANGUAGES, t
from lib.ui.nav import go
from lib.ui.session import client_key, ctx, require_user, sign_out


def _save_profile(u: User) -> User:
    saved = auth.update_profile(ctx(), u, display_name=st.session_state["account.name"],
                                locale=st.session_state["account.locale"],
                                time_zone=st.session_state["account.time_zone"])
    st.session_state[LANG_KEY] = saved.locale  # this run already speaks the language chosen
    return saved


user = require_user()

st.title(t("account.title"))
if flash := st.session_state.pop("account.flash", None):
    st.success(flash)
st.caption(t("account.email", email=plain(user.email)))
st.caption(t("account.referral_code", code=user.referral_code))
st.caption(t("account.roles", roles=", ".join(t(f"role.{r.value}") for r in sorted(user.roles))))

if not user.is_verified:
    st.warning(t("account.unverified"))
    st.button(t("account.resend"), key="account.resend", on_click=act(
        lambda u: email_links.resend_verification(ctx(), u.id, client=client_key()), t("account.resent"),
        slot="account.resent"))
    feedback("account.resent")

with st.form("account.profile"):
    st.text_input(t("field.display_name"), value=user.display_name, max_chars=200, key="account.name")
    codes = list(LANGUAGES)
    st.selectbox(t("field.language"), codes, index=codes.index(user.locale), format_func=LANGUAGES.__getitem__,
                 key="account.locale")
    zones = ["", *time_zones()]  # "": the browser's own
    st.selectbox(t("field.time_zone"), zones, index=zones.index(user.time_zone or ""), key="account.time_zone",
                 format_func=lambda z: z or t("account.time_zone_browser"), help=t("account.time_zone_help"))
    st.form_submit_button(t("common.save"), on_click=act(_save_profile, lambda _: t("account.saved"),
                                                         slot="account.saved"))
feedback("account.saved")

st.divider()
col_a, col_b = st.columns(2)
if col_a.button(t("account.sign_out"), key="account.sign_out", type="primary"):
    sign_out()
    go(Screen.DISCOVER)
with col_b:
    everywhere = confirm_step(t("account.sign_out_everywhere"), "account.sign_out_everywhere",
                              t("account.sign_out_everywhere_question"), yes=t("account.sign_out_everywhere_yes"))
if everywhere:
    sign_out(everywhere=True)
    go(Screen.DISCOVER)
