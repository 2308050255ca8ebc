"""Which language this tab speaks, settled once per session and kept in a cookie across reloads and
tabs. Priority: an explicit choice (`?lang=` or the sidebar) > the account's setting > the cookie >
the browser's preference."""

from __future__ import annotations

import streamlit as st

from lib.domain.accounts import User
from lib.i18n import LANGUAGES, preferred_language
from lib.ui.i18n import LANG_KEY
from lib.ui.params import take_query_text

COOKIE = "cocreate_lang"  # set by lib.web.routes.remember_language
EXPLICIT_KEY = "i18n.explicit"  # the person chose in this session: a sign-in keeps it
PENDING_KEY = "i18n.cookie_pending"  # the choice the browser's cookie does not hold yet


def settle(user: User | None) -> None:
    """Settle this run's language: an explicit `?lang=` wins (and leaves the address); otherwise the
    session keeps what it has (a choice, or the signed-in account's setting), and a new session
    starts from the cookie, then the browser."""
    asked = take_query_text("lang", 8)  # applied once: the sidebar can change it afterwards
    if asked in LANGUAGES:
        choose(asked)
        return
    if LANG_KEY in st.session_state:
        return
    if user is not None:
        st.session_state[LANG_KEY] = user.locale
        return
    cookie = st.context.cookies.get(COOKIE)
    browser = preferred_language(st.context.locale) or preferred_language(st.context.headers.get("Accept-Language"))
    st.session_state[LANG_KEY] = cookie if cookie in LANGUAGES else browser or "en"


def choose(lang: str) -> None:
    """An explicit choice: this session speaks it, and the browser remembers it (the cookie bridge)."""
    st.session_state[LANG_KEY] = lang
    st.session_state[EXPLICIT_KEY] = True
    st.session_state[PENDING_KEY] = lang


def account_language(user: User) -> None:
    """A sign-in brings the account's language, unless the person chose one in this session."""
    if not st.session_state.get(EXPLICIT_KEY):
        st.session_state[LANG_KEY] = user.locale
