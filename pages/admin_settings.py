"""Admin: the support window and each category's support threshold."""


import streamlit as st

from lib.domain.accounts import User
from lib.services.ideas import settings
from lib.ui.components import plain
from lib.ui.forms import act, feedback, flash
from lib.ui.i18n import t
from lib.ui.ledger.fee_settings import render_fee_settings
from lib.ui.session import ctx, current_user

NEW = "settings.new_cat"
FIELDS = ("slug", "name_en", "name_ko", "threshold")
NEW_THRESHOLD = 100


def _save_category(u: User, form: str, category_id: int | None = None) -> int:
    """A category form's click, with what the form holds now."""
    slug, name_en, name_ko, threshold = (st.session_state[f"{form}.{field}"] for field in FIELDS)
    return settings.save_category(ctx(), u, slug=slug, name_en=name_en, name_ko=name_ko, threshold=int(threshold),
                                  category_id=category_id)


def _clear_new() -> None:
    for field in FIELDS:
        st.session_state[f"{NEW}.{field}"] = NEW_THRESHOLD if field == "threshold" else ""


user = current_user()
st.title(t("settings.title"))
flash()
current = settings.current(ctx())
with st.form("settings.window"):
    st.number_input(t("settings.window"), min_value=1, max_value=365, value=current["support_window_days"],
                    key="settings.window.days")
    st.form_submit_button(t("common.save"), on_click=act(
        lambda u: settings.update_support_window(ctx(), u, int(st.session_state["settings.window.days"])),
        t("settings.saved"), slot="settings.window.outcome"))
feedback("settings.window.outcome")

st.subheader(t("settings.categories"), anchor=False)
for category in current["categories"]:
    form = f"settings.cat.{category.id}"
    with st.expander(f"{plain(category.name_en)} / {plain(category.name_ko)} · {category.support_threshold}"):
        with st.form(form):
            st.text_input(t("settings.slug"), value=category.slug, max_chars=40, key=f"{form}.slug")
            st.text_input(t("settings.name_en"), value=category.name_en, max_chars=60, key=f"{form}.name_en")
            st.text_input(t("settings.name_ko"), value=category.name_ko, max_chars=60, key=f"{form}.name_ko")
            st.number_input(t("settings.threshold"), min_value=1, value=category.support_threshold,
                            key=f"{form}.threshold")
            st.form_submit_button(t("common.save"), on_click=act(
                lambda u, f=form, c=category.id: _save_category(u, f, c), t("settings.saved"),
                error_slot=f"{form}.outcome"))
        feedback(f"{form}.outcome")
st.session_state.setdefault(f"{NEW}.threshold", NEW_THRESHOLD)  # its start value, which _clear_new sets again
with st.form(NEW):  # cleared once added: a refused category keeps what was typed
    st.caption(t("settings.new_category"))
    st.text_input(t("settings.slug"), max_chars=40, key=f"{NEW}.slug")
    st.text_input(t("settings.name_en"), max_chars=60, key=f"{NEW}.name_en")
    st.text_input(t("settings.name_ko"), max_chars=60, key=f"{NEW}.name_ko")
    st.number_input(t("settings.threshold"), min_value=1, key=f"{NEW}.threshold")
    st.form_submit_button(t("settings.add"), on_click=act(lambda u: _save_category(u, NEW), t("settings.saved"),
                                                          slot=f"{NEW}.outcome", then=_clear_new))
feedback(f"{NEW}.outcome")

render_fee_settings()
