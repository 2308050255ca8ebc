"""Everything I bought: status, tracking and refunds; confirm delivery, review, buy again."""

import streamlit as st

from lib.domain.orders import OrderStatus
from lib.services.commerce import buyer_updates, orders
from lib.services.routes import Screen
from lib.ui.commerce import order_panels as panels
from lib.ui.components import plain
from lib.ui.fmt import day, money
from lib.ui.forms import act, flash
from lib.ui.i18n import t
from lib.ui.markdown import render
from lib.ui.nav import go
from lib.ui.session import ctx, require_user

user = require_user()

st.title(t("orders.my_title"))
flash()
mine = orders.my_orders(ctx(), user)
if not mine:
    st.info(t("orders.my_empty"))
    if st.button(t("orders.browse_shop"), key="my_orders.browse"):
        go(Screen.SHOP)
for item in mine:
    order = item.order
    with st.container(border=True):
        st.markdown(f"**{plain(order.title)}**")
        st.caption(" · ".join([f"#{order.id}", day(order.created_at),
                               t("orders.quantity", quantity=order.quantity), money(order.amount),
                               panels.status_name(order.status)]))
        if order.tracking_number:
            st.caption(plain(panels.tracking_text(order)))
        for line in panels.refund_lines(item.refunds):
            st.caption(line)
        scope = {"campaign_id": order.campaign_id} if order.campaign_id is not None else \
            {"listing_id": order.listing_id}
        updates = buyer_updates.list_buyer_updates(ctx(), user, **scope, limit=5)  # only paid orders are listed
        if updates:
            with st.expander(t("orders.updates", count=len(updates))):
                for update in updates:
                    st.caption(plain(day(update.created_at)))
                    st.markdown(render(update.body_md), unsafe_allow_html=True)
        buttons = st.columns(3)
        if order.status is OrderStatus.SHIPPED:
            buttons[0].button(t("orders.confirm_delivery"), key=f"my_orders.confirm_{order.id}", on_click=act(
                lambda u, o=order.id: orders.confirm_delivery(ctx(), u, o), t("orders.delivery_confirmed")))
        if order.status is OrderStatus.DELIVERED and order.listing_id is not None and buttons[1].button(
                t("orders.review"), key=f"my_orders.review_{order.id}"):
            go(Screen.LISTING, id=order.listing_id, review=order.id)
        if item.listing_id is not None and buttons[2].button(t("orders.buy_again"), key=f"my_orders.again_{order.id}"):
            go(Screen.LISTING, id=item.listing_id)
