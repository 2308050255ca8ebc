"""The frame around every page: config, start-up errors, user, language, navigation."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from lib.bootstrap import StartupError
from lib.config import ConfigError
from lib.domain.accounts import User
from lib.services.accounts import auth
from lib.services.context import AppContext
from lib.services.messaging import notifications
from lib.services.routes import HOME
from lib.ui import gate, language, session, share
from lib.ui.components import plain
from lib.ui.i18n import LANGUAGES, current_language, t
from lib.ui.nav import CURRENT_KEY, may_open, navigation, screen_of, sidebar

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
    language.settle(user)
    _language_switch(user)
    unread = notifications.unread_count(ctx, user)
    page = st.navigation(navigation(user, unread, gate.unknown_page, _requested_page()), position="hidden")
    screen = screen_of(page.url_path)
    st.session_state[CURRENT_KEY] = screen
    share.claim_referral_clicks(user)
    share.capture_referral(user, (screen or HOME).value)
    sidebar(user, unread)
    with st.sidebar:
        if user is not None:
            st.caption(t("shell.signed_in_as", name=plain(user.display_name)))
            if user.is_suspended:
                st.warning(t("shell.suspended"))
        if ctx.demo_mode:
            st.caption(t("shell.demo_mode"))
    posting = session.render_cookie_bridge()
    gate.show_welcome(keep=posting)
    if screen is None or may_open(user, screen):
        page.run()  # an unknown address runs its own "does not exist" page
    else:
        gate.refuse(user, screen)


def _requested_page() -> str | None:
    """The page name the browser asked for (its address's path), before st.navigation resolves it:
    Streamlit falls back to the home page for a name it does not know."""
    run = get_script_run_ctx()
    pages = getattr(run, "pages_manager", None)
    if pages is None or getattr(pages, "intended_page_script_hash", None):
        return None  # a link or st.switch_page names a registered page by its hash
    name = getattr(pages, "intended_page_name", None)
    return name.strip("/") if isinstance(name, str) else None


def _language_switch(user) -> None:  # type: ignore[no-untyped-def]
    key = "shell.lang_select"
    st.session_state[key] = current_language()  # follow a sign-in that brought its own language

    def changed() -> None:
        language.choose(st.session_state[key])
        if user is not None:
            auth.update_profile(session.ctx(), user, display_name=user.display_name,
                                    locale=st.session_state[key])

    st.sidebar.selectbox("Language / 언어", list(LANGUAGES), format_func=LANGUAGES.__getitem__,
                         key=key, on_change=changed)
