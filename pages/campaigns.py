"""Campaigns: pre-order progress toward each goal."""

import streamlit as st

from lib.domain.campaigns import CampaignStatus
from lib.services.ideas import browse
from lib.services.routes import Screen
from lib.ui.components import days_left, image, plain
from lib.ui.fmt import money
from lib.ui.i18n import t
from lib.ui.nav import link
from lib.ui.session import ctx

st.title(t("campaigns.title"))
st.caption(t("campaigns.subtitle"))
campaigns = browse.browse_campaigns(ctx(), limit=60)
if not campaigns:
    st.info(t("campaigns.empty"))
for start in range(0, len(campaigns), 3):
    for column, c in zip(st.columns(3), campaigns[start:start + 3], strict=False):
        with column, st.container(border=True):
            image(c.cover_image, t("image.cover", title=c.title))
            link(Screen.CAMPAIGN, f"**{plain(c.title)}**", id=c.id)
            st.caption(t(f"campaign.status.{c.status}") + " · " + money(c.price, c.currency))
            st.progress(min(1.0, c.pledged_units / c.goal_units),
                        text=t("campaigns.progress", pledged=c.pledged_units, goal=c.goal_units))
            if c.cap_units:
                st.caption(t("campaigns.units_left", count=max(0, c.cap_units - c.pledged_units)))
            if c.status is CampaignStatus.OPEN:
                st.caption(t("idea.days_left", count=days_left(c.deadline)))

