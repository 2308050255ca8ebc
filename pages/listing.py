"""One product in the shop: images, price, the idea's story and co-creators, a drop's countdown and
live stock, buying (or "Buy again"), reviews and the maker's replies."""

from datetime import UTC, datetime

import streamlit as st

from lib.services.commerce import shop
from lib.services.routes import Screen
from lib.ui.commerce.buy_form import buy_form
from lib.ui.commerce.listing_panels import (
    is_available,
    just_reviewed,
    manage_listing_panel,
    rating_line,
    review_spot,
    reviews_panel,
)
from lib.ui.commerce.live_drop import live_listing, stock_line
from lib.ui.components import gallery, plain, sign_in_prompt
from lib.ui.fmt import money
from lib.ui.forms import flash, found_or_back
from lib.ui.i18n import t
from lib.ui.markdown import render
from lib.ui.nav import link
from lib.ui.params import query_id
from lib.ui.session import ctx, current_user
from lib.ui.share import share_link

user = current_user()
view = found_or_back(lambda listing_id: shop.get_listing(ctx(), listing_id, user), t("shop.listing_not_found"),
                     t("shop.back"), Screen.SHOP)

listing = view.listing
state = shop.my_purchase_state(ctx(), user, listing.id)
flash()
st.title(plain(listing.title), anchor=False)
st.caption(plain(view.idea_pitch))
# "Write a review" (My orders) names the order: its form (or, once posted, the review) comes first.
asked = query_id("review") if user is not None else None
if asked is not None:
    review_spot(asked, view)

left, right = st.columns([3, 2])
with left:
    gallery(view.images, listing.title)
    st.markdown(render(listing.description_md), unsafe_allow_html=True)
    with st.expander(t("shop.story"), expanded=False):
        st.markdown(f"**{plain(view.idea_title)}**")
        st.markdown(render(view.story_md), unsafe_allow_html=True)
        if view.co_creators:
            st.caption(t("shop.co_creators", names=", ".join(plain(name) for name in view.co_creators)))
        link(Screen.IDEA, t("shop.open_idea"), id=listing.idea_id)
with right:
    st.metric(t("shop.price_label"), money(listing.price))
    st.caption(rating_line(view.rating_avg, view.rating_count))
    st.caption(t("shop.made_by", name=plain(view.maker_name)))
    started = listing.started(datetime.now(UTC))
    stock_line(listing)
    live_listing(listing, is_available(listing) and started)
    if listing.per_account_limit is not None:
        st.caption(t("shop.limit_status", limit=listing.per_account_limit, bought=state.units_bought))
    manage_listing_panel(listing, user)
    if user is None:
        sign_in_prompt(t("shop.sign_in_to_buy"), "buy")
    elif is_available(listing) and started and state.units_allowed != 0:
        buy_form(listing, user, state)
    elif state.units_allowed == 0 and is_available(listing):
        st.info(t("shop.limit_reached", limit=listing.per_account_limit))
    share_link(user, Screen.LISTING, id=str(listing.id))

posted = just_reviewed()
if asked is None and (posted is not None or state.reviewable_order_ids):
    review_spot(posted if posted is not None else state.reviewable_order_ids[0], view)
reviews_panel(view, user)
