"""Admin: e-mail waiting in (or sent from) the outbox, and dead letters to send again."""

import streamlit as st

from lib.services.accounts import admin
from lib.services.messaging.mail import MAX_ATTEMPTS
from lib.ui.components import plain
from lib.ui.fmt import when
from lib.ui.forms import act, flash, load
from lib.ui.i18n import t
from lib.ui.session import ctx, current_user

user = current_user()
st.title(t("admin_outbox.title"))
flash()
st.caption(t("admin_outbox.subtitle") if ctx().mailer is None else t("admin_outbox.smtp_on"))
messages, dead = load(lambda: (admin.outbox(ctx(), user, limit=100), admin.dead_letters(ctx(), user, limit=100)))

st.subheader(t("admin_outbox.dead_title"), anchor=False)
if not dead:
    st.caption(t("admin_outbox.no_dead"))
else:
    st.caption(t("admin_outbox.dead_help", count=MAX_ATTEMPTS))
for message in dead:
    with st.container(border=True):
        st.text(f"{when(message.created_at)} · {message.to_address} · {message.subject}")
        if message.last_error:
            st.text(t("admin_outbox.error", error=message.last_error))
        st.button(t("admin_outbox.retry"), key=f"admin_outbox.retry_{message.id}", on_click=act(
            lambda u, m=message.id: admin.retry_email(ctx(), u, m), t("admin_outbox.retried")))

if not messages:
    st.info(t("admin_outbox.empty"))
for message in messages:
    state = t("admin_outbox.sent") if message.sent_at else t("admin_outbox.pending")
    # Addresses and subjects carry what people typed (names, idea titles): text, not Markdown.
    with st.expander(f"{plain(when(message.created_at))} · {plain(message.to_address)} · {plain(message.subject)}"
                     f" · {state}"):
        st.text(message.body)
        if message.last_error:
            st.text(t("admin_outbox.error", error=message.last_error))
            if message.sent_at is None and message.attempts < MAX_ATTEMPTS and message.next_attempt_at:
                st.text(t("admin_outbox.next_attempt", time=when(message.next_attempt_at),
                          attempt=message.attempts + 1, max=MAX_ATTEMPTS))
