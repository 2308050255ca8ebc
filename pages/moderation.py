"""Moderators: the review queue (oldest first), flagged items, makers, campaigns, merges and suspensions."""

from functools import partial

import streamlit as st

from lib.domain.ideas import IdeaStatus
from lib.services.ideas import moderation
from lib.services.routes import Screen
from lib.ui.campaigns import moderation_panels
from lib.ui.components import plain
from lib.ui.forms import attempt, flash, load
from lib.ui.i18n import t
from lib.ui.markdown import render
from lib.ui.nav import go
from lib.ui.session import ctx, current_user

user = current_user()
st.title(t("mod.title"))
flash()
# A suspended moderator still sees this page in the navigation, but may not moderate.
(items, counts), templates = load(lambda: (moderation.queue(ctx(), user, limit=50),
                                           moderation.reason_templates(ctx(), user)))
waiting, flagged_count, hidden = st.columns(3)
waiting.metric(t("mod.waiting"), counts["waiting"])
flagged_count.metric(t("mod.flagged"), counts["flagged"])
hidden.metric(t("mod.hidden_ideas"), counts["hidden_ideas"])

queue_tab, flags_tab, makers_tab, campaigns_tab, merge_tab, accounts_tab, templates_tab = st.tabs(
    [t("mod.queue"), t("mod.flags"), t("mod.makers"), t("mod.campaigns"), t("mod.merge"), t("mod.accounts"),
     t("mod.templates")])

with queue_tab:
    if not items:
        st.info(t("mod.queue_empty"))
    for idea in items:
        with st.container(border=True):
            kind = t("mod.edited") if idea.status is IdeaStatus.PUBLISHED else t("mod.new")
            st.markdown(f"**{plain(idea.title)}** · {kind}")
            st.caption(plain(idea.pitch))
            with st.expander(t("mod.read")):
                st.markdown(render(idea.description_md), unsafe_allow_html=True)
            template = st.selectbox(t("mod.template"), [None, *templates], key=f"tpl_{idea.id}",
                                    format_func=lambda x: t("mod.no_template") if x is None else x[1])
            reason = st.text_area(t("mod.reason"), key=f"reason_{idea.id}", max_chars=2000,
                                  value=template[2] if template else "")
            approve_col, changes_col, reject_col, open_col = st.columns(4)
            if approve_col.button(t("mod.approve"), key=f"approve_{idea.id}", type="primary"):
                attempt(lambda i=idea, r=reason: moderation.approve(ctx(), user, i.id, r), t("mod.done"))
            if idea.status is IdeaStatus.PENDING_REVIEW:
                if changes_col.button(t("mod.request_changes"), key=f"changes_{idea.id}"):
                    attempt(lambda i=idea, r=reason: moderation.request_changes(ctx(), user, i.id, r), t("mod.done"))
                if reject_col.button(t("mod.reject"), key=f"reject_{idea.id}"):
                    attempt(lambda i=idea, r=reason: moderation.reject(ctx(), user, i.id, r), t("mod.done"))
            if open_col.button(t("idea.open"), key=f"mod_open_{idea.id}"):
                go(Screen.IDEA, id=idea.id)

with flags_tab:
    flagged = moderation.flagged(ctx(), user)
    if not flagged:
        st.info(t("mod.no_flags"))
    for item in flagged:
        with st.container(border=True):
            label = t(f"mod.target.{item.target_type}")
            st.markdown(f"**{label} #{item.target_id}** · " + t("mod.flag_count", count=item.flags)
                        + (" · " + t("idea.hidden") if item.hidden else ""))
            st.caption(plain(str(item.text)[:300]))
            for reason in item.reasons:
                st.caption("– " + plain(reason))
            keep_col, hide_col, open_col = st.columns(3)
            if keep_col.button(t("mod.dismiss_flags"), key=f"keep_{item.target_type}_{item.target_id}"):
                attempt(lambda i=item: moderation.set_visibility(ctx(), user, i.target_type, i.target_id,
                                                                 False), t("mod.done"))
            if hide_col.button(t("mod.hide"), key=f"hide_{item.target_type}_{item.target_id}"):
                attempt(lambda i=item: moderation.set_visibility(ctx(), user, i.target_type, i.target_id,
                                                                 True, t("mod.upheld_flags")), t("mod.done"))
            if open_col.button(t("idea.open"), key=f"flag_open_{item.target_type}_{item.target_id}"):
                go(Screen.IDEA, id=item.idea_id)

with makers_tab:
    moderation_panels.maker_applications(user)

with campaigns_tab:
    moderation_panels.campaign_candidates(user)

with merge_tab, st.form("mod.merge_form"):
    st.caption(t("mod.merge_help"))
    duplicate = st.number_input(t("mod.duplicate_id"), min_value=1, step=1, value=None)
    original = st.number_input(t("mod.original_id"), min_value=1, step=1, value=None)
    why = st.text_input(t("mod.reason"), max_chars=2000)
    if st.form_submit_button(t("mod.merge")) and duplicate and original:
        attempt(lambda: moderation.merge(ctx(), user, int(duplicate), int(original), why), t("mod.merged"))

with accounts_tab:
    query = st.text_input(t("mod.find_account"), key="mod.find", max_chars=100)
    found = attempt(lambda: moderation.find_accounts(ctx(), user, query), rerun=False) or []
    for account in found:
        with st.container(border=True):
            state = t("mod.account_suspended") if account.is_suspended else t("mod.account_active")
            st.markdown(f"**{plain(account.display_name)}** · {plain(account.email)} · {state}")
            why = st.text_input(t("mod.reason"), max_chars=2000, key=f"mod.suspend_reason_{account.id}")
            label = t("mod.unsuspend") if account.is_suspended else t("mod.suspend")
            if st.button(label, key=f"mod.suspend_{account.id}"):
                attempt(partial(moderation.set_suspended, ctx(), user, account.id, not account.is_suspended, why),
                        t("mod.done"))

with templates_tab:
    for template_id, title, body in templates:
        with st.expander(plain(title)), st.form(f"tpl_form_{template_id}"):
            new_title = st.text_input(t("mod.template_title"), value=title, max_chars=80)
            new_body = st.text_area(t("mod.reason"), value=body, max_chars=2000)
            if st.form_submit_button(t("common.save")):
                attempt(lambda i=template_id, a=new_title, b=new_body:
                        moderation.save_reason_template(ctx(), user, a, b, i), t("mod.done"))
    with st.form("tpl_new", clear_on_submit=True):
        new_title = st.text_input(t("mod.template_title"), max_chars=80)
        new_body = st.text_area(t("mod.reason"), max_chars=2000)
        if st.form_submit_button(t("mod.add_template")):
            attempt(lambda: moderation.save_reason_template(ctx(), user, new_title, new_body), t("mod.done"))
