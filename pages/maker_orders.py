"""Orders to fulfil: a maker's orders by status; move them, ship with tracking, refund, talk to buyers."""

import streamlit as st

from lib.domain.campaigns import MakerStatus
from lib.domain.fulfilment import TO_SHIP
from lib.domain.orders import MAKER_MOVES, OrderStatus
from lib.services.campaigns import makers
from lib.services.commerce import buyer_updates, orders, refunds
from lib.ui.commerce import order_panels as panels
from lib.ui.forms import attempt, flash, load, request_key
from lib.ui.i18n import t
from lib.ui.markdown import render
from lib.ui.session import ctx, require_user

user = require_user()

st.title(t("orders.maker_title"))
flash()
profile = makers.my_maker_profile(ctx(), user)
if profile is None or profile.status is not MakerStatus.VERIFIED:
    st.info(t("orders.not_verified"))
    st.stop()

everything = load(lambda: orders.maker_orders(ctx(), user))
status_col, source_col = st.columns(2)
statuses = [None, *everything.counts]
status = status_col.selectbox(
    t("orders.filter_status"), statuses, key="maker_orders.status",
    format_func=lambda s: t("orders.all_statuses") if s is None
    else f"{panels.status_name(s)} ({everything.counts[s]})")
source = source_col.selectbox(t("orders.filter_source"), [None, *everything.sources], key="maker_orders.source",
                              format_func=panels.source_label)
scope = {"campaign_id": source[1] if source and source[0] == "campaign" else None,
         "listing_id": source[1] if source and source[0] == "listing" else None}
found = orders.maker_orders(ctx(), user, status, **scope)
st.caption(" · ".join(f"{panels.status_name(s)} {n}" for s, n in found.counts.items() if n))
if not found.orders:
    st.info(t("orders.none_here"))
else:
    panels.orders_table(found.orders)

by_id = {o.id: o for o in found.orders}
movable = [o.id for o in found.orders if OrderStatus.IN_PRODUCTION in MAKER_MOVES.get(o.status, ())]
shippable = [o.id for o in found.orders if o.status in TO_SHIP]
refundable = [o.id for o in found.orders if o.refundable.amount > 0]
label = lambda i: panels.order_label(by_id[i])  # noqa: E731
move_tab, ship_tab, refund_tab, update_tab, list_tab = st.tabs(
    [t("orders.tab_move"), t("orders.tab_ship"), t("orders.tab_refund"), t("orders.tab_update"),
     t("orders.tab_list")])

with move_tab:
    chosen = st.multiselect(t("orders.select_orders"), movable, key="maker_orders.move_ids", format_func=label)
    if st.button(t("orders.move_in_production"), key="maker_orders.move_in_production", disabled=not movable):
        attempt(lambda: orders.move_orders(ctx(), user, chosen, OrderStatus.IN_PRODUCTION),
                t("orders.moved", count=len(chosen)))

with ship_tab:
    st.subheader(t("orders.ship_one"))
    with st.form("maker_orders.ship_one_form"):
        one = st.selectbox(t("orders.order"), shippable, key="maker_orders.ship_one.order", format_func=label)
        carrier = st.text_input(t("orders.carrier"), key="maker_orders.ship_one.carrier", max_chars=40)
        number = st.text_input(t("orders.tracking_number"), key="maker_orders.ship_one.tracking", max_chars=40)
        if st.form_submit_button(t("orders.ship"), disabled=not shippable) and one is not None:
            attempt(lambda: orders.move_orders(ctx(), user, [one], OrderStatus.SHIPPED, carrier, number),
                    t("orders.shipped", count=1))
    st.subheader(t("orders.ship_many"))
    many = st.multiselect(t("orders.select_orders"), shippable, key="maker_orders.ship_many.ids", format_func=label)
    if many:
        numbers = panels.tracking_editor([by_id[i] for i in many], key="maker_orders.ship_many.editor")
        many_carrier = st.text_input(t("orders.carrier"), key="maker_orders.ship_many.carrier", max_chars=40)
        if st.button(t("orders.ship_selected"), key="maker_orders.ship_many.button"):
            attempt(lambda: orders.move_orders(ctx(), user, many, OrderStatus.SHIPPED, many_carrier, numbers),
                    t("orders.shipped", count=len(many)))

with refund_tab, st.form("maker_orders.refund_form"):
    pick = st.selectbox(t("orders.order"), refundable, key="maker_orders.refund.order", format_func=label)
    if pick is not None:
        st.caption(t("orders.refundable", amount=by_id[pick].refundable.format()))
    raw = st.text_input(t("orders.refund_amount"), key="maker_orders.refund.amount", max_chars=15,
                        help=t("orders.refund_amount_help"))
    reason = st.text_input(t("orders.refund_reason"), key="maker_orders.refund.reason", max_chars=500)
    refund_submitted = st.form_submit_button(t("orders.refund"), disabled=not refundable)
    refund_key = request_key("maker_orders.refund", refund_submitted)  # two clicks, one refund
    if refund_submitted and pick is not None:
        ok, amount = panels.refund_amount(raw, by_id[pick].amount.currency)
        if ok:
            attempt(lambda: refunds.refund_order(ctx(), user, pick, amount, reason, request_key=refund_key),
                    t("orders.refunded"))

with update_tab:
    with st.form("maker_orders.update_form"):
        target = st.selectbox(t("orders.update_for"), everything.sources, key="maker_orders.update.scope",
                              format_func=panels.source_label)
        body = st.text_area(t("orders.update_body"), key="maker_orders.update.body", max_chars=5000)
        if st.form_submit_button(t("orders.post_update"), disabled=not everything.sources) and target:
            kind, target_id, _title = target
            attempt(lambda: buyer_updates.post_buyer_update(
                ctx(), user, body, campaign_id=target_id if kind == "campaign" else None,
                listing_id=target_id if kind == "listing" else None), t("orders.update_posted"))
    if source is not None:  # what this campaign's or product's buyers were already told
        for update in buyer_updates.list_buyer_updates(ctx(), user, **scope, limit=10):
            st.caption(f"{update.created_at:%Y-%m-%d %H:%M} UTC")
            st.markdown(render(update.body_md), unsafe_allow_html=True)

with list_tab:
    st.caption(t("orders.list_help"))
    data = attempt(lambda: buyer_updates.shipping_list_csv(ctx(), user, **scope), rerun=False)
    if data is not None:
        st.download_button(t("orders.download_csv"), data=data, file_name="shipping-list.csv", mime="text/csv",
                           key="maker_orders.csv", on_click="ignore")
