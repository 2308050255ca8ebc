"""The referrer's dashboard: my code and share link, clicks, conversions, earnings, how it works."""

import streamlit as st

from lib.domain.orders import REFERRAL_WINDOW
from lib.domain.referrals import percent_text
from lib.services.ledger import referrals
from lib.services.routes import Screen
from lib.ui.components import sign_in_prompt
from lib.ui.fmt import day, money
from lib.ui.i18n import t
from lib.ui.session import ctx, current_user
from lib.ui.share import share_link

user = current_user()
st.title(t("referrals.title"))
if user is None:
    sign_in_prompt(t("referrals.sign_in"), "referrals")  # the shell guards the page: a fallback
    st.stop()

stats = referrals.dashboard(ctx(), user)
days = REFERRAL_WINDOW.days
st.markdown(t("referrals.your_code", code=stats.code))
share_link(user, Screen.DISCOVER)

clicks, conversions, rate, earned = st.columns(4)
clicks.metric(t("referrals.clicks"), stats.clicks, border=True)
conversions.metric(t("referrals.conversions"), stats.conversions, border=True)
rate.metric(t("referrals.conversion_rate"), f"{stats.conversion_rate:.1%}", border=True)
earned.metric(t("referrals.earnings"), " · ".join(money(m) for m in stats.earnings) or money(0, ctx().currency),
              border=True)
st.caption(t("referrals.traffic", recent=stats.clicks_recent, days=days, visitors=stats.visitors))

st.subheader(t("referrals.recent"), anchor=False)
if stats.recent:
    st.dataframe([{t("referrals.col_date"): day(c.at), t("referrals.col_product"): c.title,
                   t("referrals.col_amount"): money(c.amount), t("referrals.col_commission"): money(c.commission)}
                  for c in stats.recent], hide_index=True, width="stretch")
else:
    st.caption(t("referrals.no_conversions"))

st.subheader(t("referrals.how_title"), anchor=False)
st.markdown(t("referrals.how_body", percent=percent_text(referrals.referral_rate_bps(ctx())), days=days))
