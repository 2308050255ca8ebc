"""Open the link from the verification e-mail."""

import streamlit as st

from lib.domain.errors import TokenInvalid
from lib.services.accounts import email_links
from lib.ui.components import show_error
from lib.ui.forms import attempt
from lib.ui.i18n import t
from lib.ui.params import TOKEN_MAX, query_given, query_text
from lib.ui.session import ctx

st.title(t("verify.title"))
token = query_text("token", TOKEN_MAX)
if not query_given("token"):
    st.info(t("verify.no_token"))
elif token is None:  # not what we e-mail: the same message as a used or unknown link
    show_error(TokenInvalid())
elif st.session_state.get("verify.done") == token:
    st.success(t("verify.done"))
elif attempt(lambda: email_links.verify_email(ctx(), token), rerun=False) is not None:
    st.session_state["verify.done"] = token
    st.success(t("verify.done"))
