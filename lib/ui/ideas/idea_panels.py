"""The interactive parts of the idea page: support, conversation, improvements, updates."""

from __future__ import annotations

from functools import partial

import streamlit as st

from lib.domain.accounts import User
from lib.domain.ideas import Action, allows
from lib.domain.permissions import can_comment, can_suggest, can_support, is_author, is_open_for_updates, is_staff
from lib.services.ideas import cocreation, moderation, support
from lib.services.ideas.authoring import post_update
from lib.services.ideas.ports import IdeaComment, IdeaDetail
from lib.ui.components import plain
from lib.ui.forms import attempt, money_input
from lib.ui.i18n import t
from lib.ui.markdown import render
from lib.ui.session import ctx


def support_panel(detail: IdeaDetail, user: User | None) -> None:
    relation = support.my_relation(ctx(), user, detail.id)
    if user is None:
        st.info(t("idea.sign_in_to_support"))
        return
    if relation["supported"]:
        st.success(t("idea.you_support"))
        if allows(detail.status, Action.SUPPORT) and st.button(t("idea.withdraw_support"), key="idea.unsupport"):
            attempt(lambda: support.withdraw_support(ctx(), user, detail.id), t("idea.support_withdrawn"))
    elif can_support(user, detail):
        with st.form("idea.support_form"):
            st.caption(t("idea.intent_hint"))
            quantity = st.number_input(t("idea.intent_quantity"), min_value=0, max_value=1000, value=0, step=1)
            max_price = money_input(t("idea.intent_price"), detail.currency, key="idea.intent_price")
            if st.form_submit_button(t("idea.support"), type="primary"):
                qty = int(quantity) or None
                won = attempt(lambda: support.support_idea(ctx(), user, detail.id, quantity=qty,
                                                           max_price=max_price if qty else None), rerun=False)
                if won is not None:
                    st.session_state["flash"] = t("idea.now_winning") if won else t("idea.supported")
                    st.rerun()
    following = relation["following"]
    if st.button(t("idea.unfollow") if following else t("idea.follow"), key="idea.follow"):
        attempt(lambda: support.set_following(ctx(), user, detail.id, not following))


def comments_panel(detail: IdeaDetail, user: User | None) -> None:
    comments = detail.comments
    st.subheader(t("idea.comments", count=len(comments)), anchor=False)
    allowed = can_comment(user, detail)
    replies: dict[int, list[IdeaComment]] = {}
    for comment in comments:
        if comment.parent_id:
            replies.setdefault(comment.parent_id, []).append(comment)
    for comment in (c for c in comments if not c.parent_id):
        with st.container(border=True):
            _comment(detail, comment, user)
            for reply in replies.get(comment.id, []):
                with st.container():
                    st.markdown("↳")
                    _comment(detail, reply, user)
            if allowed:
                with st.popover(t("idea.reply")), st.form(f"reply_{comment.id}", clear_on_submit=True):
                    body = st.text_area(t("idea.reply"), key=f"reply_body_{comment.id}", max_chars=5000)
                    if st.form_submit_button(t("idea.post")):
                        attempt(partial(cocreation.add_comment, ctx(), user, detail.id, body, comment.id),
                                t("idea.comment_posted"))
    if allowed:
        with st.form("idea.comment_form", clear_on_submit=True):
            body = st.text_area(t("idea.new_comment"), key="idea.comment_body", max_chars=5000,
                                help=t("idea.markdown_help"))
            if st.form_submit_button(t("idea.post")):
                attempt(lambda: cocreation.add_comment(ctx(), user, detail.id, body), t("idea.comment_posted"))
    elif user is None:
        st.caption(t("idea.sign_in_to_comment"))


def _comment(detail: IdeaDetail, comment: IdeaComment, user: User | None) -> None:
    author = plain(comment.author_name)
    if comment.author_id == detail.author_id:
        author += " · **" + t("idea.author_reply") + "**"
    if comment.hidden:
        author += " · " + t("idea.hidden")
    st.caption(f"{author} · {comment.created_at:%Y-%m-%d}")
    st.markdown(render(comment.body_md), unsafe_allow_html=True)
    if user is None:
        return
    cols = st.columns([1, 1, 6])
    if cols[0].button(t("idea.flag"), key=f"flag_comment_{comment.id}", type="tertiary"):
        attempt(lambda: cocreation.flag(ctx(), user, "comment", comment.id), t("idea.flagged"))
    if is_staff(user):
        hidden = comment.hidden
        if cols[1].button(t("mod.restore") if hidden else t("mod.hide"), key=f"hide_comment_{comment.id}",
                          type="tertiary"):
            attempt(lambda: moderation.set_visibility(ctx(), user, "comment", comment.id, not hidden,
                                                      t("mod.hidden_from_page")), t("mod.done"))


def improvements_panel(detail: IdeaDetail, user: User | None) -> None:
    suggestions = detail.suggestions
    st.subheader(t("idea.improvements", count=len(suggestions)), anchor=False)
    if detail.co_creators:
        st.caption(t("idea.co_creators", names=", ".join(plain(n) for n in detail.co_creators)))
    author = is_author(user, detail)
    for s in suggestions:
        with st.container(border=True):
            st.caption(f"{plain(s.proposer_name)} · {t('suggestion.' + s.status)}")
            st.markdown(render(s.body_md), unsafe_allow_html=True)
            if author and s.status == "open":
                accept, decline, _ = st.columns([1, 1, 4])
                if accept.button(t("idea.accept"), key=f"accept_{s.id}"):
                    attempt(partial(cocreation.decide_improvement, ctx(), user, s.id, True), t("idea.accepted"))
                if decline.button(t("idea.decline"), key=f"decline_{s.id}"):
                    attempt(partial(cocreation.decide_improvement, ctx(), user, s.id, False), t("idea.declined"))
    if can_suggest(user, detail) and not author:
        with st.form("idea.suggest_form", clear_on_submit=True):
            body = st.text_area(t("idea.suggest"), key="idea.suggest_body", max_chars=5000)
            image = st.file_uploader(t("idea.suggest_image"), type=["jpg", "jpeg", "png", "webp"],
                                     key="idea.suggest_image")
            if st.form_submit_button(t("idea.send_suggestion")):
                upload = image.getvalue() if image else None
                attempt(lambda: cocreation.propose_improvement(ctx(), user, detail.id, body, upload),
                        t("idea.suggestion_sent"))


def updates_panel(detail: IdeaDetail, user: User | None) -> None:
    if detail.updates or is_author(user, detail):
        st.subheader(t("idea.updates"), anchor=False)
    if is_author(user, detail) and is_open_for_updates(user, detail):
        with st.form("idea.update_form", clear_on_submit=True):
            body = st.text_area(t("idea.new_update"), key="idea.update_body", max_chars=5000)
            if st.form_submit_button(t("idea.post_update")):
                attempt(lambda: post_update(ctx(), user, detail.id, body), t("idea.update_posted"))
    for update in detail.updates:
        with st.container(border=True):
            st.caption(f"{update.created_at:%Y-%m-%d}")
            st.markdown(render(update.body_md), unsafe_allow_html=True)
