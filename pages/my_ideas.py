"""My ideas: status, the moderator's reason, and what I can do next."""

import streamlit as st

from lib.domain.permissions import is_editable_status, is_withdrawable_status
from lib.services.ideas import authoring
from lib.services.routes import Screen
from lib.ui.components import plain, status_badge
from lib.ui.forms import act, flash
from lib.ui.i18n import t
from lib.ui.nav import go
from lib.ui.session import ctx, require_user

user = require_user()

st.title(t("my_ideas.title"))
flash()
if st.button(t("my_ideas.new"), type="primary", key="my_ideas.new"):
    go(Screen.SUBMIT_IDEA)
mine = authoring.my_ideas(ctx(), user)
if not mine:
    st.info(t("my_ideas.empty"))
for idea in mine:
    with st.container(border=True):
        st.markdown(status_badge(idea.status.value) + ("&nbsp;" + t("my_ideas.in_review")
                    if idea.needs_review else ""), unsafe_allow_html=True)
        st.markdown(f"**{plain(idea.title)}** · " + t("idea.supporters_of_short", count=idea.support_count))
        if idea.moderation_note:
            st.caption(t("idea.moderator_note", note=plain(idea.moderation_note)))
        cols = st.columns([1, 1, 1, 3])
        if cols[0].button(t("idea.open"), key=f"mine_open_{idea.id}"):
            go(Screen.IDEA, id=idea.id)
        if is_editable_status(user, idea) and cols[1].button(t("idea.edit"), key=f"mine_edit_{idea.id}"):
            go(Screen.SUBMIT_IDEA, edit=idea.id)
        if is_withdrawable_status(user, idea):
            cols[2].button(t("my_ideas.withdraw"), key=f"mine_wd_{idea.id}", on_click=act(
                lambda u, i=idea.id: authoring.withdraw_idea(ctx(), u, i), t("my_ideas.withdrawn")))
