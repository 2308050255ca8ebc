"""The one way a page reads its address's query parameters (`?id=3`, `?token=...`): only what fits
is returned, anything else is None, so the page shows its normal "not found" message instead of a
traceback (int('²') is a ValueError, a 30-digit id overflows the database's integer)."""

from __future__ import annotations

import re
import unicodedata

import streamlit as st

# Ids are 64-bit signed integers in both databases (SQLite INTEGER, PostgreSQL BIGINT); ids start at 1.
MAX_ID = 2**63 - 1
TOKEN_MAX = 200  # e-mailed tokens are 43 characters (secrets.token_urlsafe(32))
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")  # str.isdigit() also accepts '²' and '٣'
# Bidi embeddings, overrides and isolates: U+202E makes "gnp.exe" read as "exe.png".
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def query_given(name: str) -> bool:
    """Whether the address gives `name` a value at all (to tell "no ?edit" from "a malformed one")."""
    return bool(st.query_params.get(name))


def parse_id(raw: object) -> int | None:
    """A positive id as the database can hold it, from ASCII digits only (no sign, no spaces)."""
    if not isinstance(raw, str) or not _ASCII_DIGITS.fullmatch(raw):
        return None
    value = int(raw)
    return value if 1 <= value <= MAX_ID else None


def parse_text(raw: object, max_len: int) -> str | None:
    """Text of at most `max_len` characters without control characters, bidi controls or lone
    surrogates (tokens, codes, searches); surrounding spaces are dropped and empty is None."""
    if not isinstance(raw, str) or len(raw) > max_len:
        return None
    text = raw.strip()
    if not text:
        return None
    for char in text:
        if char in _BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Cs"):
            return None
    return text


def query_id(name: str = "id") -> int | None:
    """The id in `?name=...`, or None when it is missing or cannot be an id."""
    return parse_id(st.query_params.get(name))


def query_text(name: str, max_len: int) -> str | None:
    """The text in `?name=...`, or None when it is missing, too long or has control characters."""
    return parse_text(st.query_params.get(name), max_len)
