"""The shop: products that came out of funded ideas, searched and filtered by category."""

from datetime import UTC, datetime

import streamlit as st

from lib.services.commerce import shop
from lib.services.ideas import browse
from lib.services.routes import Screen
from lib.ui.commerce.listing_panels import rating_line, starts_text, stock_text
from lib.ui.components import image, pager, plain
from lib.ui.fmt import money
from lib.ui.forms import load
from lib.ui.i18n import current_language, t
from lib.ui.nav import link
from lib.ui.session import ctx

PAGE_SIZE = 24

st.title(t("shop.title"))
st.caption(t("shop.subtitle"))

names = {c.slug: (c.name_ko if current_language() == "ko" else c.name_en) for c in browse.categories(ctx())}
col_q, col_cat = st.columns([3, 2])
query = col_q.text_input(t("shop.search"), key="shop.q", max_chars=200)
category = col_cat.selectbox(t("shop.category"), [None, *names], key="shop.category",
                             format_func=lambda s: t("shop.all_categories") if s is None else names[s])

filters = (query, category)
if st.session_state.get("shop.filters") != filters:
    st.session_state["shop.filters"], st.session_state["shop.page"] = filters, 0
page = st.session_state.get("shop.page", 0)
cards = load(lambda: shop.browse(ctx(), query=query, category=category, limit=PAGE_SIZE + 1, offset=page * PAGE_SIZE))
has_more, cards = len(cards) > PAGE_SIZE, cards[:PAGE_SIZE]
if not cards:
    st.info(t("shop.no_results") if query or category else t("shop.empty"))
now = datetime.now(UTC)
for start in range(0, len(cards), 3):
    for column, card in zip(st.columns(3), cards[start:start + 3], strict=False):
        with column, st.container(border=True):
            image(card.cover_image, t("image.cover", title=card.title))
            link(Screen.LISTING, f"**{plain(card.title)}**", id=card.id)
            st.markdown(money(card.price))
            facts = [stock_text(card.units_left)]
            if card.starts_at is not None and not card.started(now):
                facts.append(starts_text(card.starts_at))
            if card.per_account_limit is not None:
                facts.append(t("shop.per_account", limit=card.per_account_limit))
            st.caption(" · ".join(facts))
            st.caption(rating_line(card.rating_avg, card.rating_count))

pager("shop", page, has_more)
