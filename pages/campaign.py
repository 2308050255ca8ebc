"""One campaign: what it makes, the price and where it goes, progress, and pre-ordering."""

import streamlit as st

from lib.services.campaigns import opening, preorders
from lib.services.campaigns.maker_preorders import COMMITTED
from lib.services.ideas import browse
from lib.services.routes import Screen
from lib.ui.campaigns.campaign_panels import (
    campaign_progress,
    can_cancel,
    cancel_button,
    preorder_facts,
    price_breakdown,
)
from lib.ui.campaigns.preorder_form import preorder_form
from lib.ui.commerce import listing_panels
from lib.ui.components import image, plain, sign_in_prompt
from lib.ui.fmt import day
from lib.ui.forms import flash, found_or_back
from lib.ui.i18n import t
from lib.ui.nav import link
from lib.ui.session import ctx, current_user
from lib.ui.share import share_link

user = current_user()
campaign = found_or_back(lambda campaign_id: opening.get_campaign(ctx(), campaign_id, user), t("campaign.not_found"),
                         t("campaign.back"), Screen.CAMPAIGNS)

idea = browse.idea_detail(ctx(), user, campaign.idea_id)
flash()
st.caption(t(f"campaign.status.{campaign.status.value}"))
st.title(plain(campaign.title), anchor=False)
if idea is not None:
    st.caption(plain(idea.pitch))
share_link(user, Screen.CAMPAIGN, id=str(campaign.id))

left, right = st.columns([3, 2])
with left:
    if idea is not None:
        image(idea.cover_image, t("image.cover", title=idea.title))
        link(Screen.IDEA, t("campaign.open_idea"), id=campaign.idea_id)
with right:
    price_breakdown(campaign)
    campaign_progress(campaign)
    if user is not None and user.id == campaign.maker_id:
        st.info(t("campaign.you_make_this"))
        link(Screen.MAKER, t("campaign.see_orders"))

mine = [(p, c) for p, c in preorders.my_preorders(ctx(), user) if c.id == campaign.id]
if campaign.per_account_limit is not None:
    held = sum(p.quantity for p, _ in mine if p.status in COMMITTED)
    st.caption(t("campaign.limit_status", limit=campaign.per_account_limit, held=held))
if mine:
    st.subheader(t("campaign.my_preorders"), anchor=False)
    for preorder, _ in mine:
        with st.container(border=True):
            st.caption(f"#{preorder.id} · {day(preorder.created_at)} · " + preorder_facts(preorder))
            if can_cancel(preorder, campaign):
                cancel_button(preorder, user, f"campaign.cancel_{preorder.id}")

if user is None:
    sign_in_prompt(t("campaign.sign_in_to_preorder"), "preorder")
elif campaign.accepts_preorders(ctx().now()):
    preorder_form(campaign, user)
else:
    st.info(t("error.campaign_closed"))

listing_panels.create_listing_panel(campaign, user)
