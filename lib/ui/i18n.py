"""One translation function over an English and a Korean catalogue."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import streamlit as st

LANGUAGES = {"en": "English", "ko": "한국어"}
_DIR = Path(__file__).resolve().parent / "locales"
LANG_KEY = "i18n.lang"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The catalogue for one language (read once per process, never mutated)."""
    return json.loads((_DIR / f"{lang}.json").read_text(encoding="utf-8"))


def current_language() -> str:
    lang = st.session_state.get(LANG_KEY, "en")
    return lang if lang in LANGUAGES else "en"


def translate(lang: str, key: str, **params: Any) -> str:
    text = catalogue(lang).get(key) or catalogue("en").get(key) or key
    try:
        return text.format(**params) if params else text
    except (KeyError, IndexError, ValueError):
        return text


def t(key: str, **params: Any) -> str:
    """The text for `key` in the session's language (English when Korean lacks it)."""
    return translate(current_language(), key, **params)
