"""My notifications, newest first, with the unread ones marked."""

import streamlit as st

from lib.domain.money import Money
from lib.services.messaging import notifications
from lib.ui.components import plain
from lib.ui.fmt import money, when
from lib.ui.forms import act, flash
from lib.ui.i18n import t
from lib.ui.session import ctx, require_user


def _shown(value: object) -> str:
    """A notice's parameter as text; an amount (services.messaging.notifications.money_param) for its reader."""
    if isinstance(value, dict) and "minor" in value:
        return money(Money(int(value["minor"]), str(value["currency"])))
    return str(value)


user = require_user()

st.title(t("inbox.title"))
flash()
items = notifications.inbox(ctx(), user, limit=100)
if any(n.read_at is None for n in items):  # marked before the run, so the unread count in the menu is 0 too
    st.button(t("inbox.mark_all"), key="inbox.mark_all", on_click=act(lambda u: notifications.mark_read(ctx(), u)))
if not items:
    st.info(t("inbox.empty"))
for note in items:
    with st.container(border=True):
        marker = "● " if note.read_at is None else ""
        # Titles, names and reasons are what people typed: show them as text, not Markdown.
        params = {key: plain(_shown(value)) for key, value in note.params.items()}
        st.markdown(marker + t(f"notification.{note.kind}", **params))
        st.caption(plain(when(note.created_at)))  # "2026. 12. 2." is no list
