"""Orders to fulfil: a maker's orders by status; move them, ship with tracking, refund, talk to buyers."""

import streamlit as st

from lib.domain.accounts import User
from lib.domain.campaigns import MakerStatus
from lib.domain.fulfilment import TO_SHIP
from lib.domain.orders import MAKER_MOVES, Order, OrderStatus
from lib.services.campaigns import makers
from lib.services.commerce import buyer_updates, orders, refunds
from lib.ui.commerce import order_panels as panels
from lib.ui.components import plain
from lib.ui.fmt import money, when
from lib.ui.forms import act, attempt, feedback, flash, load, request_key
from lib.ui.i18n import t
from lib.ui.markdown import render
from lib.ui.session import ctx, require_user

REFUND = "maker_orders.refund"  # the refund form's request_key scope
REFUNDED = f"{REFUND}.sent"
# Each tab says what its last action did (a slot name no form or widget has).
MOVE_SAID, SHIP_ONE_SAID, SHIP_MANY_SAID, REFUND_SAID, UPDATE_SAID = (
    f"maker_orders.{part}.said" for part in ("move", "ship_one", "ship_many", "refund", "update"))
state = st.session_state


def _move(u: User) -> int:
    return orders.move_orders(ctx(), u, list(state.get("maker_orders.move_ids") or []), OrderStatus.IN_PRODUCTION)


def _ship_one(u: User) -> int:
    one = state.get("maker_orders.ship_one.order")
    if one is None:
        return 0  # no order picked (none left to ship): nothing to do
    return orders.move_orders(ctx(), u, [one], OrderStatus.SHIPPED, state.get("maker_orders.ship_one.carrier"),
                              state.get("maker_orders.ship_one.tracking"))


def _ship_many(u: User) -> int:
    many = list(state.get("maker_orders.ship_many.ids") or [])
    numbers = panels.typed_tracking(many, "maker_orders.ship_many.editor")
    return orders.move_orders(ctx(), u, many, OrderStatus.SHIPPED, state.get("maker_orders.ship_many.carrier"),
                              numbers)


def _refund(u: User, by_id: dict[int, Order]) -> int | None:
    """The refund form's click, with the one-time key of the form clicked (the click is the start of a run
    that submits, so request_key gives the key the form was drawn with)."""
    pick = state.get("maker_orders.refund.order")
    if pick is None:
        return None  # no order picked (none left to refund): nothing to do
    amount = panels.refund_amount(state.get("maker_orders.refund.amount") or "", by_id[pick].amount.currency)
    refund_id = refunds.refund_order(ctx(), u, pick, amount, state.get("maker_orders.refund.reason") or "",
                                     request_key=request_key(REFUND, True))
    state[REFUNDED] = True
    return refund_id


def _post_update(u: User) -> int | None:
    target = state.get("maker_orders.update.scope")
    if not target:
        return None  # nothing to post about yet
    kind, target_id, _title = target
    return buyer_updates.post_buyer_update(ctx(), u, state.get("maker_orders.update.body") or "",
                                           campaign_id=target_id if kind == "campaign" else None,
                                           listing_id=target_id if kind == "listing" else None)


def _shipped(count: int) -> str | None:
    return t("orders.shipped", count=count) if count else None


user = require_user()

st.title(t("orders.maker_title"))
flash()
profile = makers.my_maker_profile(ctx(), user)
if profile is None or profile.status is not MakerStatus.VERIFIED:
    st.info(t("orders.not_verified"))
    st.stop()

everything = load(lambda: orders.maker_orders(ctx(), user))
status_col, source_col = st.columns(2)
# The source is chosen first (drawn in the right-hand column): the status filter counts what it would show.
source = source_col.selectbox(t("orders.filter_source"), [None, *everything.sources], key="maker_orders.source",
                              format_func=panels.source_label)
scope = {"campaign_id": source[1] if source and source[0] == "campaign" else None,
         "listing_id": source[1] if source and source[0] == "listing" else None}
in_scope = everything if source is None else orders.maker_orders(ctx(), user, **scope)
status = status_col.selectbox(
    t("orders.filter_status"), [None, *in_scope.counts], key="maker_orders.status",
    format_func=lambda s: t("orders.all_statuses") if s is None
    else f"{panels.status_name(s)} ({in_scope.counts[s]})")
found = in_scope if status is None else orders.maker_orders(ctx(), user, status, **scope)
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
# A key gives the tab set an identity of its own: the open tab stays open when what is above it changes
# (a message comes or goes); without one, a shifted tab set is a new one and shows its first tab.
move_tab, ship_tab, refund_tab, update_tab, list_tab = st.tabs(
    [t("orders.tab_move"), t("orders.tab_ship"), t("orders.tab_refund"), t("orders.tab_update"),
     t("orders.tab_list")], key="maker_orders.tabs")

with move_tab:
    st.multiselect(t("orders.select_orders"), movable, key="maker_orders.move_ids", format_func=label,
                   placeholder=t("common.choose_options"))
    st.button(t("orders.move_in_production"), key="maker_orders.move_in_production", disabled=not movable,
              on_click=act(_move, lambda count: t("orders.moved", count=count), slot=MOVE_SAID))
    feedback(MOVE_SAID)

with ship_tab:
    st.subheader(t("orders.ship_one"))
    with st.form("maker_orders.ship_one_form"):
        st.selectbox(t("orders.order"), shippable, key="maker_orders.ship_one.order", format_func=label)
        st.text_input(t("orders.carrier"), key="maker_orders.ship_one.carrier", max_chars=40)
        st.text_input(t("orders.tracking_number"), key="maker_orders.ship_one.tracking", max_chars=40)
        st.form_submit_button(t("orders.ship"), disabled=not shippable,
                              on_click=act(_ship_one, _shipped, slot=SHIP_ONE_SAID))
    feedback(SHIP_ONE_SAID)
    st.subheader(t("orders.ship_many"))
    many = st.multiselect(t("orders.select_orders"), shippable, key="maker_orders.ship_many.ids", format_func=label,
                          placeholder=t("common.choose_options"))
    if many:
        panels.tracking_editor([by_id[i] for i in many], key="maker_orders.ship_many.editor")
        st.text_input(t("orders.carrier"), key="maker_orders.ship_many.carrier", max_chars=40)
        st.button(t("orders.ship_selected"), key="maker_orders.ship_many.button",
                  on_click=act(_ship_many, _shipped, slot=SHIP_MANY_SAID))
    feedback(SHIP_MANY_SAID)  # after shipping the selection is gone, and the button with it

with refund_tab:
    with st.form("maker_orders.refund_form"):
        pick = st.selectbox(t("orders.order"), refundable, key="maker_orders.refund.order", format_func=label)
        if pick is not None:
            st.caption(t("orders.refundable", amount=money(by_id[pick].refundable)))
        st.text_input(t("orders.refund_amount"), key="maker_orders.refund.amount", max_chars=15,
                      help=t("orders.refund_amount_help"))
        st.text_input(t("orders.refund_reason"), key="maker_orders.refund.reason", max_chars=500)
        refund_submitted = st.form_submit_button(t("orders.refund"), disabled=not refundable, on_click=act(
            lambda u, drawn=by_id: _refund(u, drawn),
            lambda refund_id: t("orders.refunded") if refund_id is not None else None, slot=REFUND_SAID))
        # Two clicks of one drawing, one refund. After a refund this run draws the form anew, as the run
        # after one did when the refund made a second run: the form drawn now gets a new key.
        refunded = state.pop(REFUNDED, False)
        request_key(REFUND, refund_submitted and not refunded)
    feedback(REFUND_SAID)

with update_tab:
    with st.form("maker_orders.update_form"):
        st.selectbox(t("orders.update_for"), everything.sources, key="maker_orders.update.scope",
                     format_func=panels.source_label)
        st.text_area(t("orders.update_body"), key="maker_orders.update.body", max_chars=5000)
        st.form_submit_button(t("orders.post_update"), disabled=not everything.sources, on_click=act(
            _post_update, lambda posted: t("orders.update_posted") if posted is not None else None,
            slot=UPDATE_SAID))
    feedback(UPDATE_SAID)
    if source is not None:  # what this campaign's or product's buyers were already told
        for update in buyer_updates.list_buyer_updates(ctx(), user, **scope, limit=10):
            st.caption(plain(when(update.created_at)))
            st.markdown(render(update.body_md), unsafe_allow_html=True)

with list_tab:
    st.caption(t("orders.list_help"))
    data = attempt(lambda: buyer_updates.shipping_list_csv(ctx(), user, **scope), rerun=False)
    if data is not None:
        st.download_button(t("orders.download_csv"), data=data, file_name="shipping-list.csv", mime="text/csv",
                           key="maker_orders.csv", on_click="ignore")
