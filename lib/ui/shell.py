"""The frame around every page: config, start-up errors, user, language, navigation."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import streamlit as st

from lib.bootstrap import StartupError
from lib.config import ConfigError
from lib.domain.accounts import User
from lib.services.accounts import auth
from lib.services.context import AppContext
from lib.services.messaging import notifications
from lib.ui import session, share
from lib.ui.components import plain
from lib.ui.i18n import LANG_KEY, LANGUAGES, current_language, t
from lib.ui.nav import navigation, page_names_for

ASSETS = Path(__file__).resolve().parent.parent.parent / "assets"
CSS, LOGO, ICON = ASSETS / "style.css", ASSETS / "logo.png", ASSETS / "icon.png"


def main() -> None:
    # The favicon and logo are our own files, served by this server (an icon name made the browser
    # fetch a font from a font host, which fails offline).
    st.set_page_config(page_title="Cocreate", page_icon=str(ICON), layout="wide")
    st.logo(str(LOGO), icon_image=str(ICON))
    st.html(f"<style>{_css()}</style>")
    try:
        ctx = session.ctx()
    except (StartupError, ConfigError) as exc:
        st.title("Cocreate")
        st.error(f"{t('startup.failed')}\n\n{exc}")
        st.stop()
    with session.user_of_this_run() as user:
        _run(ctx, user)


@cache
def _css() -> str:
    return CSS.read_text(encoding="utf-8")


def _run(ctx: AppContext, user: User | None) -> None:
    _language_switch(user)
    unread = notifications.unread_count(ctx, user)
    page = st.navigation(navigation(user, unread))
    session.forward_after_sign_in(page_names_for(user))
    share.claim_referral_clicks(user)
    share.capture_referral(user, page.url_path or "discover")
    with st.sidebar:
        if user is not None:
            st.caption(t("shell.signed_in_as", name=plain(user.display_name)))
            if user.is_suspended:
                st.warning(t("shell.suspended"))
        if ctx.demo_mode:
            st.caption(t("shell.demo_mode"))
    session.render_cookie_bridge()
    page.run()


def _language_switch(user) -> None:  # type: ignore[no-untyped-def]
    key = "shell.lang_select"
    st.session_state[key] = current_language()  # follow a sign-in that brought its own language

    def changed() -> None:
        st.session_state[LANG_KEY] = st.session_state[key]
        if user is not None:
            auth.update_profile(session.ctx(), user, display_name=user.display_name,
                                    locale=st.session_state[key])

    st.sidebar.selectbox("Language / 언어", list(LANGUAGES), format_func=LANGUAGES.__getitem__,
                         key=key, on_change=changed)
