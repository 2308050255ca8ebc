"""Open the link from the verification e-mail."""

import streamlit as st

from lib.domain.errors import DomainError
from lib.services.accounts import auth
from lib.ui.components import show_error
from lib.ui.i18n import t
from lib.ui.session import ctx

st.title(t("verify.title"))
token = st.query_params.get("token", "")
if not token:
    st.info(t("verify.no_token"))
elif st.session_state.get("verify.done") == token:
    st.success(t("verify.done"))
else:
    try:
        auth.verify_email(ctx(), token)
    except DomainError as exc:
        show_error(exc)
    else:
        st.session_state["verify.done"] = token
        st.success(t("verify.done"))
