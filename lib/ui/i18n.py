"""The translation function for pages: the session's language over lib.i18n."""

from __future__ import annotations

from typing import Any

import streamlit as st

from lib.i18n import LANGUAGES, translate

LANG_KEY = "i18n.lang"
__all__ = ["LANGUAGES", "LANG_KEY", "current_language", "t"]


def current_language() -> str:
    lang = st.session_state.get(LANG_KEY, "en")
    return lang if lang in LANGUAGES else "en"


def t(key: str, **params: Any) -> str:
    """The text for `key` in the session's language (English when Korean lacks it)."""
    return translate(current_language(), key, **params)
