"""The one way a page reads its address's query parameters (`?id=3`, `?token=...`): only what fits
is returned, anything else is None, so the page shows its normal "not found" message instead of a
traceback (int('²') is a ValueError, a 30-digit id overflows the database's integer)."""

from __future__ import annotations

import re
import unicodedata

import streamlit as st

from lib.services.routes import MAX_RETURN_ADDRESS, Screen, parse_href

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


def query_return_address() -> tuple[Screen, dict[str, str]] | None:
    """The page `?next=` names to come back to after signing in: a page of this site (read through
    the route table), never another site's address."""
    return parse_href(query_text("next", MAX_RETURN_ADDRESS))


def query_params_except(*names: str) -> dict[str, str]:
    """This address's query parameters (the last value of each), without `names`: to link back here."""
    return {k: v for k, v in st.query_params.to_dict().items() if k not in names}


def take_query_text(name: str, max_len: int) -> str | None:
    """Like query_text, and takes the parameter out of the address (a one-time instruction, ?lang=)."""
    value = query_text(name, max_len)
    if name in st.query_params:
        del st.query_params[name]
    return value
