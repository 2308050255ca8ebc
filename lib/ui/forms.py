"""Small form helpers: run a service call and show its named error, act in a widget's callback, and
money inputs."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from lib.domain.accounts import User
from lib.domain.errors import DomainError, InvalidInput, NotSignedIn
from lib.domain.money import MINOR_UNIT_EXPONENT, Money, PriceBand
from lib.services.routes import Screen
from lib.ui.components import show_error
from lib.ui.fmt import currency_name, money
from lib.ui.i18n import t
from lib.ui.nav import go
from lib.ui.params import query_id
from lib.ui.session import current_user

T = TypeVar("T")
FLASH = "flash"


def attempt(call: Callable[[], T], success: str | None = None, rerun: bool = True, *,
            show: Callable[[DomainError], None] | None = show_error) -> T | None:
    """Run one service call; a DomainError becomes a translated message (`show=None`: says nothing)
    and None, nothing else changes. Done, it leaves `success` to show after the rerun."""
    try:
        result = call()
    except DomainError as exc:
        if show is not None:
            show(exc)
        return None
    if success:
        st.session_state["flash"] = success
    if rerun:
        st.rerun()
    return result


def load(call: Callable[[], T]) -> T:
    """A read the screen cannot do without: its DomainError is shown and the page stops there."""
    result = attempt(call, rerun=False)
    if result is None:
        st.stop()
    return result


def found_or_back(find: Callable[[int], T | None], not_found: str, back: str, to: Screen) -> T:
    """What the address names (`?id=3`), found by `find`; when the id cannot be one, or nothing
    (nothing visible to this person) has it, a note and a way back, and the page stops there."""
    wanted = query_id("id")
    found = attempt(lambda: find(wanted), rerun=False, show=None) if wanted is not None else None
    if found is None:
        st.warning(not_found)
        if st.button(back):
            go(to)
        st.stop()
    return found


def request_key(scope: str, submitted: bool) -> str:
    """The one-time key of a money-moving form drawn under `scope` (its service takes it as
    `request_key`, so a double submit is one effect). Call it in every run that draws the form, once
    its submit button is known: a run that submits carries the key the form was drawn with (a second
    click of the same drawing too); the first run that only draws it after a submission gets a new one."""
    slot, used = f"{scope}.request_key", f"{scope}.request_key_used"
    if slot not in st.session_state or (not submitted and st.session_state.get(used)):
        st.session_state[slot] = secrets.token_urlsafe(24)
        st.session_state[used] = False
    if submitted:
        st.session_state[used] = True
    return str(st.session_state[slot])


def act(call: Callable[[User], Any], success: str | Callable[[Any], str | None] | None = None, *,
        slot: str = FLASH, error_slot: str | None = None,
        then: Callable[[], None] | None = None) -> Callable[[], None]:
    """A widget callback (`on_click=act(...)`) that runs one service call as the person signed in now,
    before the run the click starts: that one run draws the outcome, where acting in the script and
    then calling st.rerun() runs the page twice. The message (`success`, or `success(result)`) or the
    DomainError's is left in `slot` (the error in `error_slot` if given: an item that leaves the page on
    success says its success at the top, its refusal by itself), which `feedback(slot)` shows where the
    panel draws it; `then` runs after a success (clear a typed field, close a step). A slot must not be
    the key of an st.form (Streamlit refuses session state under a form's key)."""

    def callback() -> None:
        user = current_user()  # fresh: a suspension or a sign-out elsewhere counts from this click on
        try:
            if user is None:
                raise NotSignedIn()
            result = call(user)
        except DomainError as exc:
            st.session_state[f"{error_slot or slot}.error"] = exc
            return
        message = success(result) if callable(success) else success
        if message:
            st.session_state[slot] = message
        st.session_state[f"{slot}.acted"] = True
        if then is not None:
            then()

    return callback


def confirm_step(label: str, key: str, question: str, *, yes: str, on_yes: Callable[[], None] | None = None) -> bool:
    """A button for what cannot be undone, in two clicks: the first asks `question` in place, `yes`
    does it (its callback `on_yes`, e.g. an act(...); and True is returned in the run it starts), and
    "Keep" puts the button back. Nothing happens on the first click."""
    asking, done = f"{key}.asking", f"{key}.confirmed"

    def ask(value: bool) -> Callable[[], None]:
        return lambda: st.session_state.__setitem__(asking, value)

    def confirm() -> None:
        st.session_state[asking], st.session_state[done] = False, True
        if on_yes is not None:
            on_yes()

    confirmed = bool(st.session_state.pop(done, False))
    if not st.session_state.get(asking):
        st.button(label, key=key, on_click=ask(True))
        return confirmed
    st.warning(question)
    yes_col, keep_col = st.columns(2)
    yes_col.button(yes, key=f"{key}.yes", type="primary", on_click=confirm)
    keep_col.button(t("common.keep"), key=f"{key}.keep", on_click=ask(False))
    return False


def cleared(*keys: str) -> Callable[[], None]:
    """A `then=` for act(): empty these text fields once the action succeeded (a refusal keeps them)."""

    def clear() -> None:
        for key in keys:
            st.session_state[key] = ""

    return clear


def feedback(slot: str = FLASH) -> None:
    """Show what the last action in `slot` left: its success message or its error."""
    message, error = st.session_state.pop(slot, None), st.session_state.pop(f"{slot}.error", None)
    if message:
        st.success(message)
    if error is not None:
        show_error(error)


def acted(slot: str) -> bool:
    """Whether an action in `slot` succeeded since the last call: a fragment then reads its data again."""
    return bool(st.session_state.pop(f"{slot}.acted", False))


def flash() -> None:
    """Show the message a previous run (or an action's callback) left for the top of the page."""
    feedback(FLASH)


def typed_amount(key: str, currency: str) -> int | None:
    """What a money_input holds, in minor units, read in a callback; a malformed amount is a named error."""
    raw = str(st.session_state.get(key) or "").strip()
    if not raw:
        return None
    try:
        return Money.parse_major(raw, currency).amount
    except ValueError as exc:
        raise InvalidInput("error.price_format") from exc


def money_field(label: str, currency: str, key: str, *, example: Money | None = None) -> str:
    """A text field for an amount in major units whose label names the currency and whose placeholder and
    help give an example in it ('e.g. 25.00' is US$25.00; a won amount has no decimals)."""
    shown = example if example is not None and example.currency == currency else default_example(currency)
    return st.text_input(t("money.label", label=label, currency=currency_name(currency)), key=key, max_chars=15,
                         placeholder=t("money.placeholder", example=shown.major_text()),
                         help=t("money.help", currency=currency_name(currency), typed=shown.major_text(),
                                amount=money(shown)))


def default_example(currency: str) -> Money:
    """An example amount where nothing better is known: 25 major units, 25,000 of a currency without
    decimals (whose unit is small: won, yen)."""
    return Money.parse_major("25" if MINOR_UNIT_EXPONENT[currency] else "25000", currency)


def money_input(label: str, currency: str, key: str, *, example: Money | None = None,
                usual: PriceBand | None = None, where: str = "") -> int | None:
    """A price typed in major units ('12.50'), returned as minor units; empty is None. With `usual` (what
    ideas in `where` ask), an amount far outside it is questioned next to the field until the person ticks
    "the amount is right" (`unconfirmed(key)` says whether a save must wait)."""
    if example is None and usual is not None:
        example = usual.median  # what ideas here ask: the example that fits
    raw = money_field(label, currency, key, example=example)
    st.session_state[f"{key}.unusual"] = False
    if not raw.strip():
        return None
    try:
        amount = Money.parse_major(raw, currency)
    except ValueError:
        st.error(t("error.price_format"))
        return None
    if usual is not None and usual.is_far_from(amount):
        st.warning(t("money.far_above" if amount > usual.median else "money.far_below", amount=money(amount),
                     where=where, low=money(usual.low), high=money(usual.high)))
        st.session_state[f"{key}.unusual"] = not st.checkbox(t("money.save_anyway"), key=f"{key}.confirmed")
    return amount.amount


def unconfirmed(*keys: str) -> bool:
    """Whether one of these money inputs holds a questioned amount its author has not confirmed yet."""
    return any(st.session_state.get(f"{key}.unusual") for key in keys)
