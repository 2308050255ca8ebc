"""Moderators: the review queue (oldest first), flagged items, makers, campaigns, merges and suspensions."""

from collections.abc import Callable

import streamlit as st

from lib.domain.accounts import User
from lib.domain.ideas import IdeaStatus
from lib.services.ideas import moderation
from lib.services.routes import Screen
from lib.ui.campaigns import moderation_panels
from lib.ui.components import image, plain
from lib.ui.fmt import day
from lib.ui.forms import act, attempt, cleared, feedback, flash, load
from lib.ui.i18n import t
from lib.ui.markdown import render
from lib.ui.nav import go
from lib.ui.session import ctx, current_user

# Each tab says what its last action did, in the tab (a message above the tabs follows the moderator
# to every tab, as switching tabs runs nothing).
TEMPLATES, QUEUE_SAID, FLAGS_SAID = "mod.templates", "mod.queue.said", "mod.flags.said"
NEW_TEMPLATE = ("tpl_new.title", "tpl_new.body")


def _decide(service: Callable[..., None], idea_id: int) -> Callable[[], None]:
    """A queue button: `service` on the idea with the reason typed under it. The idea leaves the queue,
    so "done" shows at the top of the queue; a problem shows at the idea."""
    return act(lambda u: service(ctx(), u, idea_id, str(st.session_state.get(f"reason_{idea_id}") or "")),
               t("mod.done"), slot=QUEUE_SAID, error_slot=f"mod.idea_{idea_id}")


def _merge(u: User) -> int | None:
    duplicate, original = st.session_state.get("mod.merge.duplicate"), st.session_state.get("mod.merge.original")
    if not (duplicate and original):
        return None  # nothing to merge until both numbers are given
    return moderation.merge(ctx(), u, int(duplicate), int(original), st.session_state.get("mod.merge.reason", ""))


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

# A key gives the tab set an identity of its own: the open tab stays open when a message above it
# comes or goes (without one, a shifted tab set is a new one and shows its first tab).
queue_tab, flags_tab, makers_tab, campaigns_tab, merge_tab, accounts_tab, templates_tab = st.tabs(
    [t("mod.queue"), t("mod.flags"), t("mod.makers"), t("mod.campaigns"), t("mod.merge"), t("mod.accounts"),
     t("mod.templates")], key="mod.tabs")

with queue_tab:
    feedback(QUEUE_SAID)
    if not items:
        st.info(t("mod.queue_empty"))
    for idea in items:
        with st.container(border=True):
            kind = t("mod.edited") if idea.status is IdeaStatus.PUBLISHED else t("mod.new")
            cover_col, text_col = st.columns([1, 3])
            with cover_col:
                image(idea.cover_image, t("image.cover", title=idea.title))
            text_col.markdown(f"**{plain(idea.title)}** · {kind}")
            text_col.caption(t("mod.submitted_by", name=plain(idea.author_name),
                               date=day(idea.submitted_at or idea.created_at)))
            text_col.caption(plain(idea.pitch))
            with st.expander(t("mod.read")):
                st.markdown(render(idea.description_md), unsafe_allow_html=True)
            template = st.selectbox(t("mod.template"), [None, *templates], key=f"tpl_{idea.id}",
                                    format_func=lambda x: t("mod.no_template") if x is None else x[1])
            st.text_area(t("mod.reason"), key=f"reason_{idea.id}", max_chars=2000,
                         value=template[2] if template else "")
            approve_col, changes_col, reject_col, open_col = st.columns(4)
            approve_col.button(t("mod.approve"), key=f"approve_{idea.id}", type="primary",
                               on_click=_decide(moderation.approve, idea.id))
            if idea.status is IdeaStatus.PENDING_REVIEW:
                changes_col.button(t("mod.request_changes"), key=f"changes_{idea.id}",
                                   on_click=_decide(moderation.request_changes, idea.id))
                reject_col.button(t("mod.reject"), key=f"reject_{idea.id}",
                                  on_click=_decide(moderation.reject, idea.id))
            if open_col.button(t("idea.open"), key=f"mod_open_{idea.id}"):
                go(Screen.IDEA, id=idea.id)
            feedback(f"mod.idea_{idea.id}")

with flags_tab:
    feedback(FLAGS_SAID)
    flagged = moderation.flagged(ctx(), user)
    if not flagged:
        st.info(t("mod.no_flags"))
    for item in flagged:
        with st.container(border=True):
            label = t(f"mod.target.{item.target_type}")
            st.markdown(f"**{label} #{item.target_id}** · " + t("mod.flag_count", count=item.flags)
                        + (" · " + t("idea.hidden") if item.hidden else ""))
            st.caption(plain(str(item.text)[:300]))
            for note in item.reasons:
                st.caption("– " + t(f"flag.kind.{note.kind.value}") + (": " + plain(note.text) if note.text else ""))
            keep_col, hide_col, open_col = st.columns(3)
            keep_col.button(t("mod.dismiss_flags"), key=f"keep_{item.target_type}_{item.target_id}",
                            on_click=act(lambda u, i=item: moderation.set_visibility(
                                ctx(), u, i.target_type, i.target_id, False), t("mod.done"), slot=FLAGS_SAID))
            hide_col.button(t("mod.hide"), key=f"hide_{item.target_type}_{item.target_id}",
                            on_click=act(lambda u, i=item: moderation.set_visibility(
                                ctx(), u, i.target_type, i.target_id, True, system_reason="mod.upheld_flags"),
                                t("mod.done"), slot=FLAGS_SAID))
            if open_col.button(t("idea.open"), key=f"flag_open_{item.target_type}_{item.target_id}"):
                go(Screen.IDEA, id=item.idea_id)

with makers_tab:
    moderation_panels.maker_applications(user)

with campaigns_tab:
    moderation_panels.campaign_candidates()

with merge_tab:
    with st.form("mod.merge_form"):
        st.caption(t("mod.merge_help"))
        st.number_input(t("mod.duplicate_id"), min_value=1, step=1, value=None, key="mod.merge.duplicate")
        st.number_input(t("mod.original_id"), min_value=1, step=1, value=None, key="mod.merge.original")
        st.text_input(t("mod.reason"), max_chars=2000, key="mod.merge.reason")
        st.form_submit_button(t("mod.merge"), on_click=act(
            _merge, lambda merged: t("mod.merged") if merged is not None else None, slot="mod.merge"))
    feedback("mod.merge")

with accounts_tab:
    query = st.text_input(t("mod.find_account"), key="mod.find", max_chars=100)
    found = attempt(lambda: moderation.find_accounts(ctx(), user, query), rerun=False) or []
    for account in found:
        with st.container(border=True):
            state = t("mod.account_suspended") if account.is_suspended else t("mod.account_active")
            st.markdown(f"**{plain(account.display_name)}** · {plain(account.email)} · {state}")
            why = f"mod.suspend_reason_{account.id}"
            st.text_input(t("mod.reason"), max_chars=2000, key=why)
            label = t("mod.unsuspend") if account.is_suspended else t("mod.suspend")
            st.button(label, key=f"mod.suspend_{account.id}", on_click=act(
                lambda u, a=account, w=why: moderation.set_suspended(ctx(), u, a.id, not a.is_suspended,
                                                                      st.session_state.get(w, "")),
                t("mod.done"), slot=f"mod.account_{account.id}"))
            feedback(f"mod.account_{account.id}")

with templates_tab:
    feedback(TEMPLATES)  # above the templates: a renamed one's expander closes (its label changed)
    for template_id, title, body in templates:
        form = f"tpl_form_{template_id}"
        with st.expander(plain(title)), st.form(form):
            st.text_input(t("mod.template_title"), value=title, max_chars=80, key=f"{form}.title")
            st.text_area(t("mod.reason"), value=body, max_chars=2000, key=f"{form}.body")
            st.form_submit_button(t("common.save"), on_click=act(
                lambda u, i=template_id, f=form: moderation.save_reason_template(
                    ctx(), u, st.session_state[f"{f}.title"], st.session_state[f"{f}.body"], i),
                t("mod.done"), slot=TEMPLATES))
    with st.form("tpl_new"):  # cleared once added: a refused template keeps what was typed
        st.text_input(t("mod.template_title"), max_chars=80, key=NEW_TEMPLATE[0])
        st.text_area(t("mod.reason"), max_chars=2000, key=NEW_TEMPLATE[1])
        st.form_submit_button(t("mod.add_template"), on_click=act(
            lambda u: moderation.save_reason_template(ctx(), u, *(st.session_state[k] for k in NEW_TEMPLATE)),
            t("mod.done"), slot=TEMPLATES, then=cleared(*NEW_TEMPLATE)))
