"""The interactive parts of the idea page: support, conversation, improvements, updates."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from lib.domain.accounts import User
from lib.domain.ideas import Action, FlagReason, allows
from lib.domain.money import Money
from lib.domain.permissions import (
    can_comment,
    can_flag,
    can_suggest,
    can_support,
    is_author,
    is_open_for_updates,
    is_staff,
)
from lib.services.ideas import browse, cocreation, moderation, support
from lib.services.ideas.authoring import post_update
from lib.services.ideas.cocreation import FLAG_REASON_MAX
from lib.services.ideas.ports import IdeaComment, IdeaDetail
from lib.ui.components import image, plain, sign_in_prompt
from lib.ui.fmt import day
from lib.ui.forms import FLASH, act, acted, cleared, confirm_step, feedback, money_field, typed_amount
from lib.ui.i18n import t
from lib.ui.markdown import render
from lib.ui.session import ctx
from lib.ui.uploads import image_uploader

SUPPORT, COMMENTS, SUGGEST = "idea.support", "idea.comments", "idea.suggestion"


@st.fragment
def support_panel(detail: IdeaDetail, user: User | None) -> None:
    """The supporter count, Support / Withdraw and Follow. A click here reruns only this panel (the
    whole page when the click made the idea win, since its status changes everywhere)."""
    if st.session_state.pop(f"{SUPPORT}.won", False):
        st.rerun(scope="app")
    state = support.support_state(ctx(), user, detail.id)
    st.metric(t("idea.supporters"), state.count)
    st.progress(min(1.0, state.count / max(1, detail.threshold)),
                text=t("idea.supporters_of", count=state.count, threshold=detail.threshold))
    feedback(SUPPORT)
    if user is None:
        sign_in_prompt(t("idea.sign_in_to_support"), "support")
        return
    if state.supported:
        st.success(t("idea.you_support"))
        if allows(detail.status, Action.SUPPORT):
            confirm_step(t("idea.withdraw_support"), "idea.unsupport", t("idea.withdraw_question"),
                         yes=t("idea.withdraw_yes"), on_yes=act(lambda u: support.withdraw_support(ctx(), u, detail.id),
                                                                t("idea.support_withdrawn"), slot=SUPPORT))
    elif can_support(user, detail):
        with st.form("idea.support_form", border=True):
            st.caption(t("idea.intent_hint"))
            st.number_input(t("idea.intent_quantity"), min_value=0, max_value=1000, value=0, step=1,
                            key="idea.intent_quantity")
            money_field(t("idea.intent_price"), detail.currency, "idea.intent_price", example=_asked(detail))
            st.form_submit_button(t("idea.support"), type="primary", on_click=act(
                lambda u: _support(u, detail), lambda won: t("idea.now_winning") if won else t("idea.supported"),
                slot=SUPPORT, then=_after_support))
    following = state.following
    st.button(t("idea.unfollow") if following else t("idea.follow"), key="idea.follow",
              on_click=act(lambda u: support.set_following(ctx(), u, detail.id, not following), slot=SUPPORT))


def _asked(detail: IdeaDetail) -> Money | None:
    """The idea's own target price (the middle of its range): the example its buyers' prices start from."""
    ends = [e for e in (detail.target_price_min, detail.target_price_max) if e]
    return Money(sum(ends) // len(ends), detail.currency) if ends else None


def _support(user: User, detail: IdeaDetail) -> bool:
    quantity = int(st.session_state.get("idea.intent_quantity") or 0) or None
    price = typed_amount("idea.intent_price", detail.currency) if quantity else None
    won = support.support_idea(ctx(), user, detail.id, quantity=quantity, max_price=price)
    st.session_state[f"{SUPPORT}.won"] = won
    return won


def _after_support() -> None:
    st.session_state["idea.intent_quantity"] = 0
    st.session_state["idea.intent_price"] = ""


@st.fragment
def comments_panel(detail: IdeaDetail, user: User | None) -> None:
    """The conversation; posting, replying, flagging or hiding reruns only this panel."""
    comments = browse.idea_comments(ctx(), user, detail.id) if acted(COMMENTS) else detail.comments
    flagged = cocreation.my_open_flags(ctx(), user, detail.id)
    st.subheader(t("idea.comments", count=len(comments)), anchor=False)
    feedback(COMMENTS)
    allowed = can_comment(user, detail)
    replies: dict[int, list[IdeaComment]] = {}
    for comment in comments:
        if comment.parent_id:
            replies.setdefault(comment.parent_id, []).append(comment)
    for comment in (c for c in comments if not c.parent_id):
        with st.container(border=True):
            _comment(detail, comment, user, flagged)
            for reply in replies.get(comment.id, []):
                _comment(detail, reply, user, flagged, reply=True)
            if allowed:
                with st.popover(t("idea.reply")), st.form(f"reply_{comment.id}"):
                    st.text_area(t("idea.reply"), key=f"reply_body_{comment.id}", max_chars=5000)
                    st.form_submit_button(t("idea.post"),
                                          on_click=_post(detail, f"reply_body_{comment.id}", comment.id))
    if allowed:
        with st.form("idea.comment_form"):
            st.text_area(t("idea.new_comment"), key="idea.comment_body", max_chars=5000, help=t("idea.markdown_help"))
            st.form_submit_button(t("idea.post"), on_click=_post(detail, "idea.comment_body"))
    elif user is None:
        sign_in_prompt(t("idea.sign_in_to_comment"), "comment")


def _post(detail: IdeaDetail, field: str, parent_id: int | None = None) -> Callable[[], None]:
    """Post what `field` holds as a comment (or a reply); the field empties only once it is posted."""
    return act(lambda u: cocreation.add_comment(ctx(), u, detail.id, st.session_state.get(field) or "", parent_id),
               t("idea.comment_posted"), slot=COMMENTS, then=cleared(field))


def _comment(detail: IdeaDetail, comment: IdeaComment, user: User | None, flagged: frozenset[tuple[str, int]],
             reply: bool = False) -> None:
    """One comment in as few elements as it takes (who and when, the text, its buttons in a row)."""
    author = ("↳ " if reply else "") + plain(comment.author_name)
    if comment.author_id == detail.author_id:
        author += " · **" + t("idea.author_reply") + "**"
    if comment.hidden:
        author += " · " + t("idea.hidden")
    st.caption(f"{author} · {day(comment.created_at)}")
    st.markdown(render(comment.body_md), unsafe_allow_html=True)
    if user is None:
        return
    with st.container(horizontal=True):
        flag_control(user, "comment", comment, ("comment", comment.id) in flagged, COMMENTS)
        if not is_staff(user):
            return
        hidden, reason = comment.hidden, t("mod.hidden_from_page")
        st.button(t("mod.restore") if hidden else t("mod.hide"), key=f"hide_comment_{comment.id}", type="tertiary",
                  on_click=act(lambda u: moderation.set_visibility(ctx(), u, "comment", comment.id, not hidden, reason),
                               t("mod.done"), slot=COMMENTS))


def flag_control(user: User, target_type: str, target: IdeaDetail | IdeaComment, flagged: bool,
                 slot: str = FLASH) -> None:
    """Flag someone else's idea or comment with a reason (a kind and optional text), or take one's own flag
    back while no moderator has acted on it. Nothing for one's own content."""
    if not can_flag(user, target):
        return
    name = f"flag_{target_type}_{target.id}"
    if flagged:
        st.button(t("flag.undo"), key=f"{name}.undo", type="tertiary", icon=":material/undo:", help=t("flag.undo_help"),
                  on_click=act(lambda u: cocreation.unflag(ctx(), u, target_type, target.id), t("flag.undone"),
                               slot=slot))
        return
    with st.popover(t("idea.flag_idea") if target_type == "idea" else t("idea.flag"), type="tertiary"), \
            st.form(name, border=False):
        st.radio(t("flag.why"), list(FlagReason), format_func=lambda k: t(f"flag.kind.{k.value}"), key=f"{name}.kind")
        st.text_input(t("flag.details"), key=f"{name}.text", max_chars=FLAG_REASON_MAX)
        st.form_submit_button(t("flag.send"), on_click=act(
            lambda u: cocreation.flag(ctx(), u, target_type, target.id, st.session_state.get(f"{name}.text") or "",
                                      kind=st.session_state.get(f"{name}.kind") or FlagReason.OTHER),
            t("idea.flagged"), slot=slot, then=cleared(f"{name}.text")))


def improvements_panel(detail: IdeaDetail, user: User | None) -> None:
    suggestions = detail.suggestions
    st.subheader(t("idea.improvements", count=len(suggestions)), anchor=False)
    if detail.co_creators:
        st.caption(t("idea.co_creators", names=", ".join(plain(n) for n in detail.co_creators)))
    author = is_author(user, detail)
    for s in suggestions:
        with st.container(border=True):
            st.caption(f"{plain(s.proposer_name)} · {t('suggestion.' + s.status)}")
            if s.image_key:
                text, picture = st.columns([3, 1])
                with picture:
                    image(s.image_key, t("image.suggestion", name=s.proposer_name))
            else:
                text = st.container()
            text.markdown(render(s.body_md), unsafe_allow_html=True)
            if author and s.status == "open":
                accept, decline, _ = st.columns([1, 1, 4])
                accept.button(t("idea.accept"), key=f"accept_{s.id}", on_click=_decide(s.id, True))
                decline.button(t("idea.decline"), key=f"decline_{s.id}", on_click=_decide(s.id, False))
    if can_suggest(user, detail) and not author:
        feedback(SUGGEST)
        with st.form("idea.suggest_form"):
            st.text_area(t("idea.suggest"), key="idea.suggest_body", max_chars=5000)
            image_uploader(t("idea.suggest_image"), _image_slot())
            st.form_submit_button(t("idea.send_suggestion"), on_click=act(
                lambda u: _propose(u, detail), t("idea.suggestion_sent"), slot=SUGGEST, then=_after_suggestion))


def _image_slot() -> str:
    """The suggestion's uploader key: a new one once a suggestion was sent (Streamlit cannot empty an
    uploader through session state), so the next suggestion does not carry the last one's image."""
    return f"idea.suggest_image.{st.session_state.get('idea.suggest_round', 0)}"


def _after_suggestion() -> None:
    cleared("idea.suggest_body")()
    st.session_state["idea.suggest_round"] = st.session_state.get("idea.suggest_round", 0) + 1


def _decide(suggestion_id: int, accept: bool) -> Callable[[], None]:
    return act(lambda u: cocreation.decide_improvement(ctx(), u, suggestion_id, accept),
               t("idea.accepted") if accept else t("idea.declined"))


def _propose(user: User, detail: IdeaDetail) -> int:
    upload = st.session_state.get(_image_slot())
    body = st.session_state.get("idea.suggest_body") or ""
    return cocreation.propose_improvement(ctx(), user, detail.id, body, upload.getvalue() if upload else None)


def updates_panel(detail: IdeaDetail, user: User | None) -> None:
    may_post = is_author(user, detail) and is_open_for_updates(user, detail)
    if detail.updates or may_post:  # no heading over nothing (a pending idea has no updates yet)
        st.subheader(t("idea.updates"), anchor=False)
    if may_post:
        with st.form("idea.update_form"):
            st.text_area(t("idea.new_update"), key="idea.update_body", max_chars=5000)
            st.form_submit_button(t("idea.post_update"), on_click=act(
                lambda u: post_update(ctx(), u, detail.id, st.session_state.get("idea.update_body") or ""),
                t("idea.update_posted"), then=cleared("idea.update_body")))
    for update in detail.updates:
        with st.container(border=True):
            st.caption(plain(day(update.created_at)))
            st.markdown(render(update.body_md), unsafe_allow_html=True)
