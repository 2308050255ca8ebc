"""Open the link from the verification e-mail."""

import streamlit as st

from lib.services.accounts import auth
from lib.ui.forms import attempt
from lib.ui.i18n import t
from lib.ui.session import ctx

st.title(t("verify.title"))
token = st.query_params.get("token", "")
if not token:
    st.info(t("verify.no_token"))
elif st.session_state.get("verify.done") == token:
    st.success(t("verify.done"))
elif attempt(lambda: auth.verify_email(ctx(), token), rerun=False) is not None:
    st.session_state["verify.done"] = token
    st.success(t("verify.done"))
