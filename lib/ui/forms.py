"""Small form helpers: run a service call and show its named error, and money inputs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from lib.domain.errors import DomainError
from lib.domain.money import Money
from lib.ui.components import show_error
from lib.ui.i18n import t


def attempt(call: Callable[[], Any], success: str | None = None, rerun: bool = True) -> Any:
    """Run one service call; a DomainError becomes a translated message, nothing else changes."""
    try:
        result = call()
    except DomainError as exc:
        show_error(exc)
        return None
    if success:
        st.session_state["flash"] = success
    if rerun:
        st.rerun()
    return result


def flash() -> None:
    """Show the message a previous run left before it reran."""
    message = st.session_state.pop("flash", None)
    if message:
        st.success(message)


def money_input(label: str, currency: str, key: str) -> int | None:
    """A price typed in major units ('12.50'), returned as minor units; empty is None."""
    raw = st.text_input(label, key=key, placeholder=t("field.price_placeholder"), max_chars=15)
    if not raw.strip():
        return None
    try:
        return Money.parse_major(raw, currency).amount
    except ValueError:
        st.error(t("error.price_format"))
        return None
