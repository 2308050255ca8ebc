"""One idea: cover, rendered description, progress, comments."""

import streamlit as st

from lib.services import browse
from lib.ui.components import days_left, image, money, plain, status_badge
from lib.ui.i18n import t
from lib.ui.markdown import render
from lib.ui.session import ctx, current_user

raw_id = st.query_params.get("id", "")
detail = browse.idea_detail(ctx(), current_user(), int(raw_id)) if raw_id.isdigit() else None
if detail is None:
    st.warning(t("idea.not_found"))
    if st.button(t("idea.back")):
        st.switch_page("pages/discover.py")
    st.stop()

st.markdown(status_badge(detail["status"].value), unsafe_allow_html=True)
st.title(plain(detail["title"]), anchor=False)
st.caption(plain(detail["pitch"]))
left, right = st.columns([3, 2])
with left:
    image(detail["cover_image"], width="stretch")
    for key in detail["images"]:
        image(key, width="stretch")
    st.markdown(render(detail["description_md"]), unsafe_allow_html=True)
with right:
    threshold = detail["threshold"]
    st.metric(t("idea.supporters"), detail["support_count"])
    st.progress(min(1.0, detail["support_count"] / max(1, threshold)),
                text=t("idea.supporters_of", count=detail["support_count"], threshold=threshold))
    left_days = days_left(detail["support_deadline"])
    if left_days is not None and detail["status"].value == "published":
        st.caption(t("idea.days_left", days=left_days))
    st.caption(t("idea.by", name=plain(detail["author_name"])))
    if detail["target_price_min"] is not None:
        st.caption(t("idea.target_price", low=money(detail["target_price_min"], detail["currency"]),
                     high=money(detail["target_price_max"], detail["currency"])))
    if detail["tags"]:
        st.caption(" ".join(f"#{plain(tag)}" for tag in detail["tags"]))

st.subheader(t("idea.comments", count=len(detail["comments"])), anchor=False)
replies: dict[int, list[dict]] = {}
for comment in detail["comments"]:
    if comment["parent_id"]:
        replies.setdefault(comment["parent_id"], []).append(comment)
for comment in (c for c in detail["comments"] if not c["parent_id"]):
    with st.container(border=True):
        st.caption(f"{plain(comment['author_name'])} · {comment['created_at']:%Y-%m-%d}")
        st.markdown(render(comment["body_md"]), unsafe_allow_html=True)
        for reply in replies.get(comment["id"], []):
            author = plain(reply["author_name"])
            if reply["author_id"] == detail["author_id"]:
                author += " · " + t("idea.author_reply")
            st.caption(f"↳ {author}")
            st.markdown(render(reply["body_md"]), unsafe_allow_html=True)
