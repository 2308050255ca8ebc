"""One idea: images, rendered description, progress, support, conversation, improvements, updates."""

import streamlit as st

from lib.domain.ideas import PUBLIC_STATUSES, WITH_CAMPAIGN, Action, allows
from lib.domain.permissions import is_editable_status, is_staff
from lib.services.campaigns import opening
from lib.services.ideas import browse, cocreation, support
from lib.services.routes import Screen
from lib.ui.campaigns.campaign_panels import quotes_panel
from lib.ui.components import days_left, demand_chart, gallery, plain, status_badge
from lib.ui.fmt import money
from lib.ui.forms import flash, found_or_back
from lib.ui.i18n import t
from lib.ui.ideas.idea_panels import comments_panel, flag_control, improvements_panel, support_panel, updates_panel
from lib.ui.markdown import render
from lib.ui.nav import link
from lib.ui.session import ctx, current_user, viewer_key
from lib.ui.share import share_link

user = current_user()
detail = found_or_back(lambda idea_id: browse.idea_detail(ctx(), user, idea_id), t("idea.not_found"),
                       t("idea.back"), Screen.DISCOVER)

idea_id = detail.id
own = user is not None and user.id == detail.author_id
if st.session_state.get(f"idea.viewed.{idea_id}") is None:
    support.record_view(ctx(), idea_id, viewer_key(), user)
    st.session_state[f"idea.viewed.{idea_id}"] = True

flash()
st.markdown(status_badge(detail.status.value), unsafe_allow_html=True)
st.title(plain(detail.title), anchor=False)
st.caption(plain(detail.pitch))
if detail.status in PUBLIC_STATUSES and not detail.hidden:
    share_link(user, Screen.IDEA, id=str(idea_id))
if detail.merged_into_id:
    st.info(t("idea.merged_into"))
    link(Screen.IDEA, t("idea.open_original"), id=detail.merged_into_id)
if detail.hidden:
    st.warning(t("idea.hidden_notice"))
if detail.moderation_note and (own or is_staff(user)):
    st.info(t("idea.moderator_note", note=plain(detail.moderation_note)))

left, right = st.columns([3, 2])
with left:
    cover = [detail.cover_image] if detail.cover_image else []
    gallery(cover + [k for k in detail.images if k != detail.cover_image], detail.title)
    st.markdown(render(detail.description_md), unsafe_allow_html=True)
with right:
    support_panel(detail, user)
    left_days = days_left(detail.support_deadline)
    if left_days is not None and allows(detail.status, Action.SUPPORT):
        st.caption(t("idea.days_left", count=left_days))
    st.caption(t("idea.by", name=plain(detail.author_name)))
    if is_staff(user):
        st.caption(t("idea.staff_ref", id=idea_id, count=detail.view_count))
    if detail.target_price_min is not None:
        st.caption(t("idea.target_price", low=money(detail.target_price_min, detail.currency),
                     high=money(detail.target_price_max, detail.currency)))
    if detail.tags:
        st.caption(" ".join(f"#{plain(tag)}" for tag in detail.tags))
    campaign = opening.campaign_for_idea(ctx(), idea_id) if detail.status in WITH_CAMPAIGN else None
    if campaign is not None:
        link(Screen.CAMPAIGN, t("idea.see_campaign"), id=campaign.id)
    if user is not None:
        flag_control(user, "idea", detail, ("idea", idea_id) in cocreation.my_open_flags(ctx(), user, idea_id))
    if own and is_editable_status(user, detail):
        link(Screen.SUBMIT_IDEA, t("idea.edit"), edit=idea_id)
    demand_chart(detail)

quotes_panel(detail, user)
updates_panel(detail, user)
improvements_panel(detail, user)
comments_panel(detail, user)
