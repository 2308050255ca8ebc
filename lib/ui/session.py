"""Who is using this browser tab: the services handle, the current user, sign-in and out."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from lib.domain.accounts import User
from lib.runtime import app_context
from lib.services.accounts import auth
from lib.services.accounts.cookies import cookie_name, unsign
from lib.services.context import AppContext
from lib.services.routes import Screen
from lib.ui import language
from lib.ui.nav import go

USER_KEY = "auth.user_id"
SESSION_KEY = "auth.session_id"
HANDOFF_KEY = "auth.handoff"
SIGNOUT_KEY = "auth.signout_pending"
RUN_USER_KEY = "auth.user_of_this_run"

_BRIDGE_JS = """
export default function ({ data, setTriggerValue }) {
  if (!data || !data.url) { return; }
  fetch(data.url, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(data.body || {}),
  }).then((r) => setTriggerValue("done", r.ok ? "ok" : "failed"))
    .catch(() => setTriggerValue("done", "failed"));
}
"""


@st.cache_resource
def _cookie_bridge():  # type: ignore[no-untyped-def]
    """A script-only component that posts to our cookie routes from the browser."""
    return st.components.v2.component("cocreate_cookie_bridge", js=_BRIDGE_JS)


def viewer_key() -> str:
    """A stable, anonymous key for this browser tab's session (views are counted once per session)."""
    key = st.session_state.get("session.viewer_key")
    if key is None:
        key = st.session_state["session.viewer_key"] = secrets.token_hex(16)
    return str(key)


def client_key() -> str:
    """Who is asking, for throttling: the IP address of this tab's connection as Streamlit sees it
    (None for localhost, hence "local"). Behind a proxy that is the proxy's address unless the
    proxy forwards the client's; Streamlit does not read X-Forwarded-For, which a client can forge."""
    ip = st.context.ip_address
    return ip if isinstance(ip, str) and ip else "local"


def ctx() -> AppContext:
    return app_context()


def current_user() -> User | None:
    """The signed-in user of this tab (from session state, else from the cookie), resolved once per
    run: the shell's answer holds until its run ends (callbacks and fragment reruns resolve afresh)."""
    resolved = st.session_state.get(RUN_USER_KEY)
    if resolved is not None:
        return resolved[0]  # type: ignore[no-any-return]
    return _resolve_user()


@contextmanager
def user_of_this_run() -> Iterator[User | None]:
    """The shell's run: resolve the user once, let the page reuse it, forget it when the run ends."""
    user = _resolve_user()
    st.session_state[RUN_USER_KEY] = (user,)
    try:
        yield user
    finally:
        st.session_state.pop(RUN_USER_KEY, None)


def _resolve_user() -> User | None:
    c = ctx()
    session_id = st.session_state.get(SESSION_KEY)
    if session_id is not None:
        if auth.session_is_live(c, session_id):
            user = auth.get_user(c, st.session_state[USER_KEY])
            if user is not None:
                return user
        _forget()
        return None
    if st.session_state.get(SIGNOUT_KEY):
        return None  # the stale cookie in this tab's handshake must not sign us back in
    token = unsign(st.context.cookies.get(cookie_name(c.cookie_secure)), c.cookie_secret)
    found = auth.resolve_session(c, token) if token else None
    if found is None:
        return None
    user, session_id = found
    _remember(user, session_id)
    return user


def require_user() -> User:
    """The signed-in user of this tab; a visitor is sent to the sign-in page instead."""
    user = current_user()
    if user is None:
        go(Screen.SIGN_IN)
    return user


def _remember(user: User, session_id: int) -> None:
    st.session_state[USER_KEY] = user.id
    st.session_state[SESSION_KEY] = session_id
    st.session_state.pop(SIGNOUT_KEY, None)
    language.account_language(user)


def _forget() -> None:
    for key in (USER_KEY, SESSION_KEY, HANDOFF_KEY):
        st.session_state.pop(key, None)


def complete_sign_in(signed_in: auth.SignedIn) -> None:
    """Remember the user in this tab and hand the browser its cookie on the next render."""
    _remember(signed_in.user, signed_in.session_id)
    st.session_state[HANDOFF_KEY] = signed_in.handoff_code


def sign_out(everywhere: bool = False) -> None:
    c = ctx()
    session_id = st.session_state.get(SESSION_KEY)
    user_id = st.session_state.get(USER_KEY)
    if everywhere and user_id is not None:
        auth.sign_out_everywhere(c, user_id)
    elif session_id is not None:
        auth.sign_out(c, session_id)
    _forget()
    st.session_state[SIGNOUT_KEY] = True


def render_cookie_bridge() -> bool:
    """Post the pending handoff (or sign-out), and a language chosen, to the server so the cookies
    follow suit. True while a post is under way: its answer starts one more run."""
    bridge = _cookie_bridge()
    lang = st.session_state.get(language.PENDING_KEY)
    if lang:  # keyed by the language: a second change posts again
        result = bridge(key=f"cookie_bridge_lang_{lang}", data={"url": "/prefs/language", "body": {"lang": lang}},
                        on_done_change=lambda: None, height=0)
        if getattr(result, "done", None):
            st.session_state.pop(language.PENDING_KEY, None)
    code = st.session_state.get(HANDOFF_KEY)
    if code:
        result = bridge(key="cookie_bridge_in", data={"url": "/auth/session", "body": {"code": code}},
                                  on_done_change=lambda: None, height=0)
        if getattr(result, "done", None):
            st.session_state.pop(HANDOFF_KEY, None)
    elif st.session_state.get(SIGNOUT_KEY) == True:  # noqa: E712 - only the fresh flag, not "sent"
        result = bridge(key="cookie_bridge_out", data={"url": "/auth/signout"},
                                  on_done_change=lambda: None, height=0)
        if getattr(result, "done", None):
            st.session_state[SIGNOUT_KEY] = "sent"
    return bool(st.session_state.get(language.PENDING_KEY) or st.session_state.get(HANDOFF_KEY)
                or st.session_state.get(SIGNOUT_KEY) == True)  # noqa: E712
