"""Staff: the audit log of every moderator action (who, when, what, why). Read-only by design."""

import streamlit as st

from lib.services.ideas import moderation
from lib.ui.components import pager
from lib.ui.fmt import when
from lib.ui.forms import load
from lib.ui.i18n import t
from lib.ui.session import ctx, current_user

st.title(t("audit.title"))
st.caption(t("audit.subtitle"))
page = st.session_state.get("audit.page", 0)
entries = load(lambda: moderation.audit_log(ctx(), current_user(), limit=100, offset=page * 100))
rows = [{t("audit.when"): when(e.created_at), t("audit.who"): e.actor_name,
         t("audit.what"): t(f"audit.action.{e.action}"), t("audit.target"): f"{e.target_type} #{e.target_id}",
         t("audit.why"): e.reason, t("audit.details"): ", ".join(f"{k}={v}" for k, v in e.details.items())}
        for e in entries]
if rows:
    st.dataframe(rows, hide_index=True, width="stretch")
else:
    st.info(t("audit.empty"))
pager("audit", page, has_more=len(entries) == 100)
