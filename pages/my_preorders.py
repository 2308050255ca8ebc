"""Everything I pre-ordered: status, amount, card; cancel while open, a new card after a failed charge."""

import streamlit as st

from lib.domain.campaigns import PreorderStatus
from lib.services.campaigns import preorders
from lib.services.routes import Screen
from lib.ui.campaigns.campaign_panels import can_cancel, cancel_button, preorder_facts
from lib.ui.campaigns.preorder_form import update_card_form
from lib.ui.components import plain
from lib.ui.fmt import day
from lib.ui.forms import flash
from lib.ui.i18n import t
from lib.ui.nav import go
from lib.ui.session import ctx, require_user

user = require_user()

st.title(t("my_preorders.title"))
flash()
st.caption(t("my_preorders.subtitle"))
mine = preorders.my_preorders(ctx(), user)
if not mine:
    st.info(t("my_preorders.empty"))
    if st.button(t("my_preorders.browse"), key="my_preorders.browse"):
        go(Screen.CAMPAIGNS)
for preorder, campaign in mine:
    with st.container(border=True):
        title, open_col = st.columns([4, 1])
        title.markdown(f"**{plain(campaign.title)}**")
        if open_col.button(t("my_preorders.open"), key=f"my_preorders.open_{preorder.id}"):
            go(Screen.CAMPAIGN, id=campaign.id)
        st.caption(f"#{preorder.id} · {day(preorder.created_at)} · " + preorder_facts(preorder))
        st.caption(t(f"campaign.status.{campaign.status.value}") + " · "
                   + t("campaigns.progress", pledged=campaign.pledged_units, goal=campaign.goal_units))
        if preorder.status is PreorderStatus.PAYMENT_FAILED:
            until = day(preorder.grace_until) if preorder.grace_until else "-"
            st.warning(t("my_preorders.payment_failed", date=until))
            update_card_form(preorder, user)
        if can_cancel(preorder, campaign):
            cancel_button(preorder, user, f"my_preorders.cancel_{preorder.id}")
