"""Staff: the audit log of every moderator action (who, when, what, why). Read-only by design."""

import streamlit as st

from lib.services.ideas import moderation
from lib.ui.components import pager
from lib.ui.forms import load
from lib.ui.i18n import t
from lib.ui.ideas.audit_entries import entry_markdown
from lib.ui.session import ctx, current_user

st.title(t("audit.title"))
st.caption(t("audit.subtitle"))
page = st.session_state.get("audit.page", 0)
entries = load(lambda: moderation.audit_log(ctx(), current_user(), limit=100, offset=page * 100))
for entry in entries:  # Markdown, not a table: targets are links to their pages
    st.markdown(entry_markdown(entry, ctx().currency))
if not entries:
    st.info(t("audit.empty"))
pager("audit", page, has_more=len(entries) == 100)
