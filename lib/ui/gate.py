"""What the shell draws instead of a page the person may not open, or one that does not exist, and
the welcome after signing in (on the page the person came from, with what they can do there now)."""

from __future__ import annotations

from typing import NoReturn

import streamlit as st

from lib.domain.accounts import User
from lib.services.routes import HOME, Screen
from lib.ui.components import plain
from lib.ui.i18n import t
from lib.ui.nav import go, link, sign_in_link
from lib.ui.params import query_return_address

WELCOME_KEY = "gate.welcome"
VISITOR_ONLY = (Screen.SIGN_IN, Screen.SIGN_UP)
# What a person who just signed in can do on the page they came back to.
NEXT_STEP = {Screen.IDEA: "nav.next.idea", Screen.CAMPAIGN: "nav.next.campaign",
             Screen.LISTING: "nav.next.listing", HOME: "nav.next.home"}


def refuse(user: User | None, screen: Screen) -> None:
    """A visitor on a members' or staff page is asked to sign in (and comes back here); a signed-in
    person without the role is told so; nobody is silently shown another page."""
    if user is None:
        st.title(t("gate.sign_in_title"), anchor=False)
        st.info(t("gate.sign_in_body"))
        sign_in_link(t("nav.sign_in"), "gate")
    elif screen in VISITOR_ONLY:
        st.title(t("gate.signed_in_title"), anchor=False)
        st.info(t("gate.signed_in_body", name=plain(user.display_name)))
        link(HOME, t("gate.home"))
    else:
        st.title(t("gate.no_access_title"), anchor=False)
        st.warning(t("gate.no_access_body"))
        link(HOME, t("gate.home"))


def unknown_page() -> None:
    """The page of an address that names no page of the app."""
    st.title(t("gate.not_found_title"), anchor=False)
    st.warning(t("gate.not_found_body"))
    link(HOME, t("gate.home"))


def return_after_sign_in(user: User, new: bool = False) -> NoReturn:
    """Back to the page the person came from (`?next=`, read through the route table, so only a page
    of this site), with a welcome and what they can do there now; without one, the home page."""
    target = query_return_address()
    screen, params = target if target is not None and target[0] not in VISITOR_ONLY else (HOME, {})
    _welcome(user, screen, new)
    go(screen, **params)


def _welcome(user: User, screen: Screen, new: bool) -> None:
    step = t(NEXT_STEP.get(screen, "nav.next.page"))
    name = plain(user.display_name)
    st.session_state[WELCOME_KEY] = (t("sign_up.done", name=name, step=step) if new
                                     else t("nav.welcome_back", name=name, step=step))


def show_welcome(keep: bool) -> None:
    """The welcome, once; `keep`: one more run is coming (the cookie's answer) that must show it too."""
    message = st.session_state.get(WELCOME_KEY) if keep else st.session_state.pop(WELCOME_KEY, None)
    if message:
        st.success(message, icon=":material/waving_hand:")
