"""The shop: products that came out of funded ideas."""

import streamlit as st

from lib.services import browse
from lib.ui.components import image, money, plain
from lib.ui.i18n import t
from lib.ui.session import ctx

st.title(t("shop.title"))
st.caption(t("shop.subtitle"))
listings = browse.browse_listings(ctx(), limit=60)
if not listings:
    st.info(t("shop.empty"))
for start in range(0, len(listings), 3):
    for column, item in zip(st.columns(3), listings[start:start + 3], strict=False):
        with column, st.container(border=True):
            image(item.cover_image, width="stretch")
            st.markdown(f"**{plain(item.title)}**")
            st.caption(money(item.price, item.currency))
            st.caption(t("shop.in_stock", count=item.stock) if item.stock else t("shop.sold_out"))
            if st.button(t("shop.story"), key=f"listing_idea_{item.id}", width="stretch"):
                st.switch_page("pages/idea.py", query_params={"id": str(item.idea_id)})
