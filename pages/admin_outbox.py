"""Admin: e-mail waiting in (or sent from) the outbox."""

import streamlit as st

from lib.services.accounts import admin
from lib.ui.components import plain
from lib.ui.forms import load
from lib.ui.i18n import t
from lib.ui.session import ctx, current_user

st.title(t("admin_outbox.title"))
st.caption(t("admin_outbox.subtitle") if ctx().mailer is None else t("admin_outbox.smtp_on"))
messages = load(lambda: admin.outbox(ctx(), current_user(), limit=100))
if not messages:
    st.info(t("admin_outbox.empty"))
for message in messages:
    state = t("admin_outbox.sent") if message.sent_at else t("admin_outbox.pending")
    # Addresses and subjects carry what people typed (names, idea titles): text, not Markdown.
    with st.expander(f"{message.created_at:%Y-%m-%d %H:%M} · {plain(message.to_address)} · {plain(message.subject)}"
                     f" · {state}"):
        st.text(message.body)
        if message.last_error:
            st.caption(t("admin_outbox.error", error=plain(message.last_error)))
