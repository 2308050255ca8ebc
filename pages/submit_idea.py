"""Write an idea (or edit one): live Markdown preview, similar ideas, images, draft or submit."""

import streamlit as st

from lib.domain.errors import InvalidFields, InvalidInput, NotFound
from lib.domain.ideas import IdeaFields, is_locked
from lib.domain.money import Money
from lib.domain.permissions import is_submittable_status
from lib.services.ideas import authoring, browse
from lib.services.routes import Screen
from lib.ui.components import plain, show_error
from lib.ui.forms import attempt, load, money_input, typed_amount, unconfirmed
from lib.ui.i18n import current_language, t
from lib.ui.markdown import render
from lib.ui.nav import go
from lib.ui.params import query_given, query_id
from lib.ui.session import ctx, require_user
from lib.ui.uploads import image_uploader

user = require_user()

editing = None
edit_id = query_id("edit")
if edit_id is None and query_given("edit"):  # ?edit= names no idea there can be
    show_error(NotFound())
    st.stop()
if edit_id is not None:
    editing = load(lambda: authoring.get_idea(ctx(), edit_id))
    if editing.author_id != user.id:
        st.error(t("error.not_your_idea"))
        st.stop()

st.title(t("submit.edit_title") if editing else t("submit.title"))
if editing and editing.moderation_note:
    st.info(t("idea.moderator_note", note=plain(editing.moderation_note)))
locked = bool(editing and is_locked(editing.support_count, editing.threshold))
if locked:
    st.warning(t("submit.locked"))

prefix = f"submit.{editing.id if editing else 'new'}"


def _major(amount: int | None) -> str:
    return "" if amount is None else Money(amount, ctx().currency).major_text()


if editing and f"{prefix}.title" not in st.session_state:
    st.session_state.update({f"{prefix}.title": editing.title, f"{prefix}.pitch": editing.pitch,
                             f"{prefix}.description": editing.description_md,
                             f"{prefix}.tags": ", ".join(editing.tags),
                             f"{prefix}.price_min": _major(editing.target_price_min),
                             f"{prefix}.price_max": _major(editing.target_price_max)})



def _typed_price(key: str) -> int | None:
    try:
        return typed_amount(key, ctx().currency)
    except InvalidInput:  # money_input says so under its own field
        return None


def _check() -> None:
    """A save button's callback: every field's problem at once, for the run the click starts to show
    under each field (what was typed stays as it was)."""
    state = st.session_state
    try:
        IdeaFields.clean(title=state.get(f"{prefix}.title") or "", pitch=state.get(f"{prefix}.pitch") or "",
                         description_md=state.get(f"{prefix}.description") or "",
                         category_id=state.get(f"{prefix}.category"), tags=state.get(f"{prefix}.tags") or "",
                         target_price_min=_typed_price(f"{prefix}.price_min"),
                         target_price_max=_typed_price(f"{prefix}.price_max"))
    except InvalidFields as exc:
        state[f"{prefix}.problems"] = exc.problems
    else:
        state.pop(f"{prefix}.problems", None)


problems: dict[str, InvalidInput] = st.session_state.get(f"{prefix}.problems", {})


def problem(name: str) -> None:
    """What is wrong with this field, right under it."""
    if name in problems:
        show_error(problems[name])


categories = browse.categories(ctx())
by_id = {c.id: (c.name_ko if current_language() == "ko" else c.name_en) for c in categories}
title = st.text_input(t("field.title"), key=f"{prefix}.title", max_chars=120, disabled=locked,
                      help=t("submit.title_help"))
problem("title")
pitch = st.text_input(t("field.pitch"), key=f"{prefix}.pitch", max_chars=200, disabled=locked)
problem("pitch")
col_cat, col_tags = st.columns(2)
category_ids = list(by_id)
default_index = category_ids.index(editing.category_id) if editing and editing.category_id in by_id else None
with col_cat:
    category_id = st.selectbox(t("field.category"), category_ids, index=default_index,
                               format_func=by_id.__getitem__, key=f"{prefix}.category",
                               placeholder=t("submit.choose_category"))
    problem("category")
with col_tags:
    tags = st.text_input(t("field.tags"), key=f"{prefix}.tags", help=t("submit.tags_help"), max_chars=400)
    problem("tags")
col_min, col_max = st.columns(2)
usual = browse.price_band(ctx(), category_id)  # what ideas in this category ask: examples, and a question
where = by_id.get(category_id, "") if category_id is not None else ""
with col_min:
    price_min = money_input(t("field.price_min"), ctx().currency, key=f"{prefix}.price_min", usual=usual, where=where)
    problem("price_min")
with col_max:
    price_max = money_input(t("field.price_max"), ctx().currency, key=f"{prefix}.price_max", usual=usual, where=where)
    problem("price_max")

write, preview = st.columns(2)
with write:
    description = st.text_area(t("field.description"), key=f"{prefix}.description", height=320,
                               max_chars=20000, disabled=locked, help=t("idea.markdown_help"))
    problem("description")
with preview:
    st.caption(t("submit.preview"))
    with st.container(border=True, height=320):
        st.markdown(render(description), unsafe_allow_html=True)

uploads = image_uploader(t("submit.images"), f"{prefix}.images", multiple=True, help=t("submit.images_help"))

similar = authoring.similar_ideas(ctx(), f"{title} {pitch}", category_id, editing.id if editing else None)
if similar:
    with st.container(border=True):
        st.markdown(t("submit.similar"))
        for similar_id, text, _score in similar:
            name, open_col = st.columns([5, 1])
            name.caption(plain(text))
            if open_col.button(t("submit.support_instead"), key=f"similar_{similar_id}"):
                go(Screen.IDEA, id=similar_id)


def _store(submit: bool) -> int:
    fields = IdeaFields.clean(title=title, pitch=pitch, description_md=description, category_id=category_id,
                              tags=tags, target_price_min=price_min, target_price_max=price_max)
    files = [f.getvalue() for f in uploads or []]
    if editing is None:
        return authoring.create_idea(ctx(), user, fields=fields, uploads=files, submit=submit)
    authoring.edit_idea(ctx(), user, editing.id, fields=fields, uploads=files or None)
    if submit:
        authoring.submit_for_review(ctx(), user, editing.id)
    return editing.id


def _save(submit: bool) -> None:
    if problems:  # each already shown under its field
        return
    if unconfirmed(f"{prefix}.price_min", f"{prefix}.price_max"):
        st.error(t("money.confirm_first"))
        return
    if attempt(lambda: _store(submit), rerun=False) is None:
        return
    st.session_state["flash"] = t("submit.submitted") if submit else t("submit.saved")
    go(Screen.MY_IDEAS)


can_submit = editing is None or is_submittable_status(user, editing)
if problems:
    st.error(t("submit.fix_problems", count=len(problems)))
draft_col, submit_col, _ = st.columns([1, 1, 3])
if draft_col.button(t("submit.save_changes") if editing else t("submit.save_draft"), key=f"{prefix}.save",
                     on_click=_check):
    _save(submit=False)
if can_submit and submit_col.button(t("submit.submit"), type="primary", key=f"{prefix}.submit",
                                    on_click=_check):
    _save(submit=True)
