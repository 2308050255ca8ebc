"""Staff: the audit log of every moderator action (who, when, what, why). Read-only by design."""

import streamlit as st

from lib.domain.errors import DomainError
from lib.services.ideas import moderation
from lib.ui.components import show_error
from lib.ui.i18n import t
from lib.ui.session import ctx, current_user

st.title(t("audit.title"))
st.caption(t("audit.subtitle"))
page = st.session_state.get("audit.page", 0)
try:
    entries = moderation.audit_log(ctx(), current_user(), limit=100, offset=page * 100)
except DomainError as exc:
    show_error(exc)
    st.stop()
rows = [{t("audit.when"): f"{e.created_at:%Y-%m-%d %H:%M}", t("audit.who"): e.actor_name,
         t("audit.what"): t(f"audit.action.{e.action}"), t("audit.target"): f"{e.target_type} #{e.target_id}",
         t("audit.why"): e.reason, t("audit.details"): ", ".join(f"{k}={v}" for k, v in e.details.items())}
        for e in entries]
if rows:
    st.dataframe(rows, hide_index=True, width="stretch")
else:
    st.info(t("audit.empty"))
prev_col, _, next_col = st.columns([1, 4, 1])
if page > 0 and prev_col.button(t("common.previous")):
    st.session_state["audit.page"] = page - 1
    st.rerun()
if len(entries) == 100 and next_col.button(t("common.next")):
    st.session_state["audit.page"] = page + 1
    st.rerun()
