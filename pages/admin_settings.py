"""Admin: the support window and each category's support threshold."""

import streamlit as st

from lib.services.ideas import settings
from lib.ui.components import plain
from lib.ui.forms import attempt, flash
from lib.ui.i18n import t
from lib.ui.ledger.fee_settings import render_fee_settings
from lib.ui.session import ctx, current_user

user = current_user()
st.title(t("settings.title"))
flash()
current = settings.current(ctx())
with st.form("settings.window"):
    days = st.number_input(t("settings.window"), min_value=1, max_value=365, value=current["support_window_days"])
    if st.form_submit_button(t("common.save")):
        attempt(lambda: settings.update_support_window(ctx(), user, int(days)), t("settings.saved"))

st.subheader(t("settings.categories"), anchor=False)
for category in current["categories"]:
    with st.expander(f"{plain(category.name_en)} / {plain(category.name_ko)} · {category.support_threshold}"), \
            st.form(f"settings.cat.{category.id}"):
        slug = st.text_input(t("settings.slug"), value=category.slug, max_chars=40)
        name_en = st.text_input(t("settings.name_en"), value=category.name_en, max_chars=60)
        name_ko = st.text_input(t("settings.name_ko"), value=category.name_ko, max_chars=60)
        threshold = st.number_input(t("settings.threshold"), min_value=1, value=category.support_threshold)
        if st.form_submit_button(t("common.save")):
            attempt(lambda c=category, s=slug, e=name_en, k=name_ko, n=threshold: settings.save_category(
                ctx(), user, slug=s, name_en=e, name_ko=k, threshold=int(n), category_id=c.id), t("settings.saved"))
with st.form("settings.new_cat", clear_on_submit=True):
    st.caption(t("settings.new_category"))
    slug = st.text_input(t("settings.slug"), max_chars=40)
    name_en = st.text_input(t("settings.name_en"), max_chars=60)
    name_ko = st.text_input(t("settings.name_ko"), max_chars=60)
    threshold = st.number_input(t("settings.threshold"), min_value=1, value=100)
    if st.form_submit_button(t("settings.add")):
        attempt(lambda: settings.save_category(ctx(), user, slug=slug, name_en=name_en, name_ko=name_ko,
                                               threshold=int(threshold)), t("settings.saved"))

render_fee_settings(user)
