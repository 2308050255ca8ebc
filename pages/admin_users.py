"""Admin: find accounts and change their roles."""

import streamlit as st

from lib.domain.accounts import Role
from lib.services.accounts import admin
from lib.ui.components import plain
from lib.ui.forms import act, feedback, load
from lib.ui.i18n import t
from lib.ui.session import ctx, current_user

st.title(t("admin_users.title"))
user = current_user()
query = st.text_input(t("admin_users.search"), key="admin_users.q", max_chars=100)
people, total = load(lambda: admin.list_users(ctx(), user, query=query, limit=50))
st.caption(t("admin_users.count", count=total))
for person in people:
    # The address as code: Markdown would make it a mailto link, and a link inside the expander's
    # summary is a control nested in a control (axe: nested-interactive).
    email = person.email.replace("`", "'")
    with st.expander(f"{plain(person.display_name)} · `{email}`"):
        st.multiselect(t("field.roles"), list(Role), default=sorted(person.roles),
                       format_func=lambda r: t(f"role.{r.value}"), key=f"roles_{person.id}",
                       placeholder=t("common.choose_options"))
        st.button(t("common.save"), key=f"save_roles_{person.id}", on_click=act(
            lambda u, p=person.id: admin.set_roles(ctx(), u, p, set(st.session_state[f"roles_{p}"])),
            t("admin_users.saved"), slot=f"admin_users.{person.id}"))
        feedback(f"admin_users.{person.id}")
