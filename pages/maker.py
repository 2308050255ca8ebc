"""Maker studio: apply with a maker profile; once verified, quote on winning ideas and follow the orders."""

import streamlit as st

from lib.domain.campaigns import MakerStatus
from lib.services.campaigns import makers
from lib.ui.campaigns import maker_panels
from lib.ui.components import plain
from lib.ui.forms import flash
from lib.ui.i18n import t
from lib.ui.session import ctx, require_user

user = require_user()

st.title(t("maker.title"))
flash()
profile = makers.my_maker_profile(ctx(), user)
if profile is None or profile.status is not MakerStatus.VERIFIED:
    maker_panels.application(profile, user)
    st.stop()

st.caption(t("maker.verified_as", name=plain(profile.business_name), location=plain(profile.location)))
ideas_tab, quotes_tab, campaigns_tab = st.tabs([t("maker.tab_winning"), t("maker.tab_quotes"),
                                                t("maker.tab_campaigns")], key="maker.tabs")
with ideas_tab:
    maker_panels.winning_ideas(user)
with quotes_tab:
    maker_panels.my_quotes(user)
with campaigns_tab:
    maker_panels.my_campaigns(user)
