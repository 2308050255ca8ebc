"""Discover ideas: Hot, Top, New, Closing soon, Almost there; search, category and status filters."""

import streamlit as st

from lib.domain.ideas import PUBLIC_STATUSES, IdeaStatus
from lib.services.ideas import browse
from lib.ui.components import idea_card, pager
from lib.ui.forms import load
from lib.ui.i18n import current_language, t
from lib.ui.session import ctx

PAGE_SIZE = 12

st.title(t("discover.title"))
st.caption(t("discover.subtitle"))

feed = st.segmented_control(t("discover.feed"), list(browse.FEEDS), default="hot", required=True, key="discover.feed",
                            format_func=lambda f: t(f"feed.{f}"), label_visibility="collapsed") or "hot"
categories = browse.categories(ctx())
names = {c.slug: (c.name_ko if current_language() == "ko" else c.name_en) for c in categories}
statuses = [s for s in IdeaStatus if s in PUBLIC_STATUSES and s in browse.FEEDS[feed]]

col_q, col_cat, col_status = st.columns([3, 2, 2])
query = col_q.text_input(t("discover.search"), key="discover.q", max_chars=200)
# Keyed per language: the browser keeps a keyed selectbox's drawn option labels ("All categories")
# through a language switch until a reload.
category = col_cat.selectbox(t("discover.category"), [None, *names], key=f"discover.category.{current_language()}",
                             format_func=lambda s: t("discover.all") if s is None else names[s])
chosen = col_status.multiselect(t("discover.status"), statuses, key=f"discover.status.{feed}",
                                format_func=lambda s: t(f"status.{s.value}"), placeholder=t("common.choose_options"))

filters = (feed, query, category, tuple(chosen))
if st.session_state.get("discover.filters") != filters:
    st.session_state["discover.filters"], st.session_state["discover.page"] = filters, 0
page = st.session_state.get("discover.page", 0)
cards, _ = load(lambda: browse.browse_ideas(ctx(), feed=feed, statuses=chosen or None, query=query, category=category,
                                            limit=PAGE_SIZE + 1, offset=page * PAGE_SIZE, with_total=False))
has_more, cards = len(cards) > PAGE_SIZE, cards[:PAGE_SIZE]
if not cards:
    st.info(t("discover.empty"))
with st.container(horizontal=True, gap="medium", key="discover-grid"):  # cards wrap to the width
    for card in cards:
        idea_card(card)

pager("discover", page, has_more)
