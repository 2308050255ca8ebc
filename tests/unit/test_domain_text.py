"""The one gate for typed text (lib/domain/text.py), names that impersonate, and number bounds."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.domain.accounts import (
    MAX_PASSWORD_LENGTH,
    Role,
    check_password,
    clean_display_name,
    is_reserved_name,
    name_key,
    normalize_email,
)
from lib.domain.campaigns import ShippingAddress, check_cap, check_quantity, check_quote
from lib.domain.errors import InvalidInput
from lib.domain.fulfilment import clean_reason, clean_update
from lib.domain.ideas import IdeaFields, IdeaStatus
from lib.domain.ledger import check_payout_amount, clean_payout_note, clean_transfer_ref
from lib.domain.limits import MAX_AMOUNT, MAX_UNITS, check_amount, check_count, parse_enum
from lib.domain.money import Money
from lib.domain.orders import OrderStatus, check_rating, clean_tracking
from lib.domain.shop import check_description, check_price, check_reply
from lib.domain.text import (
    BIDI_CONTROLS,
    TextKind,
    UnsafeText,
    clean_text,
    multi_line,
    one_line,
    search_query,
)
from lib.i18n import catalogue

EN = catalogue("en")


def refusal(call, *args, **kwargs) -> InvalidInput:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as caught:
        call(*args, **kwargs)
    assert caught.value.key in EN, caught.value.key
    return caught.value


# ---- what is refused ------------------------------------------------------------------------

CONTROLS = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\x9b", "\x9f"]


@pytest.mark.parametrize("kind", list(TextKind))
@pytest.mark.parametrize("ch", CONTROLS)
def test_control_characters_are_refused_in_every_kind(kind: TextKind, ch: str) -> None:
    error = refusal(clean_text, f"Safe{ch}text@example.com", kind, max_length=100)
    assert isinstance(error, UnsafeText)
    assert error.key == "error.text_control"


@pytest.mark.parametrize("escape", ["\x1b[31mred\x1b[0m", "\x1b]0;title\x07", "\x9b2J"])
def test_ansi_escape_sequences_are_refused(escape: str) -> None:
    for kind in (TextKind.ONE_LINE, TextKind.MULTI_LINE):
        assert refusal(clean_text, f"look {escape} here", kind, max_length=100).key == "error.text_control"


@pytest.mark.parametrize("ch", sorted(BIDI_CONTROLS))
def test_bidi_embeddings_overrides_and_isolates_are_refused_everywhere(ch: str) -> None:
    for kind in TextKind:
        assert refusal(clean_text, f"Safe idea {ch}gnp.exe", kind, max_length=100).key == "error.text_bidi"


@pytest.mark.parametrize("ch", ["\u200e", "\u200f", "\u061c"])
def test_direction_marks_are_refused_on_one_line_but_kept_in_markdown(ch: str) -> None:
    assert refusal(one_line, f"abc{ch}def", 100).key == "error.text_bidi"
    assert refusal(clean_display_name, f"Ann{ch}a").key == "error.text_bidi"
    assert multi_line(f"abc{ch}def", 100) == f"abc{ch}def"


@pytest.mark.parametrize("text", ["\ud800", "ok \udfff", "\ud83d\ude00 pair of halves", "a\udc80b"])
def test_lone_surrogates_are_refused_before_anything_else(text: str) -> None:
    for kind in TextKind:
        error = refusal(clean_text, text, kind, max_length=100)
        assert error.key in {"error.text_surrogate", "error.email_malformed"}


@pytest.mark.parametrize("text", ["two\nlines", "two\r\nlines", "two\rlines", "two\u2028lines", "two\u2029lines"])
def test_line_breaks_inside_a_one_line_field_are_refused(text: str) -> None:
    assert refusal(one_line, text, 100).key == "error.text_line_break"
    assert multi_line(text, 100) == "two\nlines"


def test_tabs_are_kept_in_markdown_and_refused_inside_one_line() -> None:
    assert multi_line("a\tb", 10) == "a\tb"
    assert refusal(one_line, "a\tb", 10).key == "error.text_control"
    assert one_line("\tab\t", 10) == "ab"


@pytest.mark.parametrize("blank", ["", "   ", "\n\t \r\n", "\u200b\u200b", "\u200d", "\ufeff", "\u3164\u3164",
                                   "\u00a0\u2003", " \u2800 ", None])
def test_empty_whitespace_or_zero_width_only_text_is_required_where_text_is(blank: str | None) -> None:
    assert refusal(one_line, blank, 50, required="error.comment_required").key == "error.comment_required"
    assert refusal(multi_line, blank, 50, required="error.comment_required").key == "error.comment_required"
    assert one_line(blank, 50) == "" and multi_line(blank, 50) == ""


def test_over_long_text_is_refused_with_the_field_limit() -> None:
    assert one_line("x" * 30, 30) == "x" * 30
    error = refusal(one_line, "x" * 31, 30, too_long="error.title_too_long")
    assert (error.key, error.params) == ("error.title_too_long", {"max": 30})
    huge = refusal(multi_line, "x" * 10_000_000, 5000)
    assert huge.params == {"max": 5000}


def test_text_that_is_not_text_is_refused() -> None:
    assert refusal(one_line, 12, 30).key == "error.invalid_input"
    assert refusal(one_line, b"bytes", 30).key == "error.invalid_input"


# ---- what is normalised ---------------------------------------------------------------------


def test_text_is_nfc_normalised_and_trimmed() -> None:
    assert one_line("  Zoe\u0308 \u200b", 10) == "Zo\u00eb"
    assert multi_line("\ufeff\n  # Title\r\n\r\nbody  \n\n", 100) == "# Title\n\nbody"


def test_runs_of_spaces_on_one_line_become_one_space() -> None:
    assert one_line("a  \u00a0 b\u3000c", 20) == "a b c"
    assert multi_line("keep  two spaces  \nfor Markdown", 100) == "keep  two spaces  \nfor Markdown"


def test_joiners_inside_text_stay_so_emoji_sequences_survive() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert one_line(f"Our {family}", 20) == f"Our {family}"
    assert clean_display_name("Zoë 🦊") == "Zoë 🦊"


def test_a_search_query_is_cut_to_its_limit_not_refused_for_length() -> None:
    assert search_query("  stool  ", 200) == "stool"
    assert search_query("x" * 500, 200) == "x" * 200
    assert refusal(search_query, "\x00", 200).key == "error.text_control"
    assert search_query(None, 200) == ""


# ---- each field's validator goes through the gate -------------------------------------------

HOSTILE = ["\x00", "\x1b[2J", "\u202e", "\ud800"]


@pytest.mark.parametrize("bad", HOSTILE)
def test_every_domain_validator_refuses_hostile_text(bad: str) -> None:
    idea = {"title": "A folding stool", "pitch": "Sit anywhere.", "description_md": "It folds.", "category_id": 1}
    for field in ("title", "pitch", "description_md"):
        refusal(IdeaFields.clean, **(idea | {field: f"Fine {bad} words"}))
    refusal(IdeaFields.clean, **idea, tags=f"ok, t{bad}ag")
    refusal(normalize_email, f"ann{bad}@example.com")
    refusal(clean_display_name, f"Ann {bad}")
    refusal(check_quote, 1000, 10, 20, f"notes {bad}")
    refusal(ShippingAddress.clean, name=f"Mina {bad}", line1="1 Road", city="Seoul", postal_code="1", country="KR")
    refusal(clean_tracking, f"CJ {bad}", "CJ-123456")
    refusal(clean_tracking, "CJ Logistics", f"CJ{bad}123456")
    refusal(check_rating, 5, f"Great {bad}")
    refusal(check_reply, f"Thanks {bad}")
    refusal(check_description, f"Folds {bad}")
    refusal(clean_update, f"Shipping {bad}")
    refusal(clean_reason, f"Damaged {bad}")
    refusal(clean_transfer_ref, f"BANK-1 {bad}")
    refusal(clean_payout_note, f"No {bad}")


def test_a_password_is_never_changed_but_one_that_cannot_be_hashed_is_refused() -> None:
    assert check_password("  \x00 spaces and NUL count ") == "  \x00 spaces and NUL count "
    assert refusal(check_password, "long enough \ud800 password").key == "error.text_surrogate"
    assert refusal(check_password, 12345678901).key == "error.password_too_short"
    assert refusal(check_password, "p" * (MAX_PASSWORD_LENGTH + 1)).key == "error.password_too_long"


def test_reasons_that_were_collapsed_keep_their_one_line_form() -> None:
    assert clean_reason("  Arrived   broken ") == "Arrived broken"
    assert refusal(clean_reason, "Arrived\nbroken").key == "error.text_line_break"
    assert ShippingAddress.clean(name=" Mina  Kim ", line1="12  Road", city="Seoul", postal_code="04301",
                                 country="KR").name == "Mina Kim"


# ---- the gate's promise, for any input ------------------------------------------------------

hostile_piece = st.sampled_from(["\x00", "\x1b[31m", "\x7f", "\x85", "\u202e", "\u2066", "\u200e", "\u200b", "\ufeff",
                                 "\u3164", "\ud800", "\udfff", "\r\n", "\r", "\n", "\t", "\u2028", " ", "\u00a0",
                                 "e\u0301", "가", "🦊", "<b>", "**"])
any_text = st.lists(st.one_of(hostile_piece, st.text(max_size=6), st.characters()), max_size=12).map("".join)


def _promise(value: str, kind: TextKind, limit: int) -> None:
    multi = kind is TextKind.MULTI_LINE
    assert unicodedata.is_normalized("NFC", value)
    assert value == value.strip(), repr(value)
    assert len(value) <= limit
    value.encode("utf-8")  # no lone surrogate
    for ch in value:
        assert unicodedata.category(ch) != "Cc" or (multi and ch in "\n\t"), repr(value)
        assert ch not in BIDI_CONTROLS
        assert multi or ch not in "\u200e\u200f\u061c"


@settings(max_examples=300, deadline=None)
@given(text=any_text, kind=st.sampled_from(list(TextKind)), limit=st.integers(1, 40))
def test_the_gate_returns_a_normalised_value_or_a_named_translated_error(text: str, kind: TextKind,
                                                                        limit: int) -> None:
    try:
        value = clean_text(text, kind, max_length=limit, required="error.comment_required")
    except InvalidInput as exc:
        assert exc.key in EN
        return
    _promise(value, kind, limit)
    assert clean_text(value, kind, max_length=limit) == value  # normalising twice changes nothing


# ---- names that impersonate -----------------------------------------------------------------


@pytest.mark.parametrize("name", [
    "Cocreate", "COCREATE", "Co-create", "C0create", "Сocreate",  # Cyrillic С
    "Admin", "admin", "ADMIN", "Аdmin", "аdmіn", "ΑDΜΙΝ", "Ａｄｍｉｎ", "A.D.M.I.N", "adm1n", "admln", "Ad\u200bmin",
    "adrnin", "𝐀𝐝𝐦𝐢𝐧", "Administrator", "Moderator", "Staff", "Support", "Cocreate Support", "Cocreate Team",
    "Official Admin", "관리자", "관 리 자", "운영자", "코크리에이트", "코크리에이트 운영팀", "코크리에이트 공식",
])
def test_names_of_the_platform_and_its_staff_are_reserved(name: str) -> None:
    assert is_reserved_name(name), name_key(name)


@pytest.mark.parametrize("name", ["Ada Admin", "Mo Moderator", "Team", "Admins", "Supporter Sam", "Mod", "관리인 김",
                                  "Casey Consumer", "김민지", "مريم", "Staffan"])
def test_ordinary_names_that_mention_a_role_are_fine(name: str) -> None:
    assert not is_reserved_name(name)


@pytest.mark.parametrize(("one", "other"), [
    ("Mina Kim", "mina kim"), ("Mina Kim", "Mina  Kim"), ("Mina Kim", "Mina-Kim"), ("Mina Kim", "Mіna Kіm"),
    ("Bob", "Воb"), ("Bob", "ΒΟΒ"), ("Paul", "Pаul"), ("Ella", "E11a"), ("Ella", "ELLA"), ("Zoë", "Zoe\u0308"),
    ("Ann", "A\u200bnn"), ("Ann", "Ａｎｎ"), ("김민지", "김 민지"), ("Tom", "T0m"),
])
def test_look_alike_names_have_one_key(one: str, other: str) -> None:
    assert name_key(one) == name_key(other)


@pytest.mark.parametrize(("one", "other"), [("Mina Kim", "Mina Kims"), ("Zoë", "Zoe"), ("Ann", "Anne"),
                                            ("Ann 🦊", "Ann 🐱"), ("김민지", "김민주")])
def test_different_names_have_different_keys(one: str, other: str) -> None:
    assert name_key(one) != name_key(other)


# ---- numbers --------------------------------------------------------------------------------


def test_amounts_are_whole_positive_and_bounded() -> None:
    assert check_amount(MAX_AMOUNT) == MAX_AMOUNT
    assert refusal(check_amount, MAX_AMOUNT + 1).key == "error.amount_too_large"
    assert refusal(check_amount, 10**30).key == "error.amount_too_large"
    assert refusal(check_amount, 0, "error.price_not_positive").key == "error.price_not_positive"
    assert refusal(check_amount, -(10**30)).key == "error.amount_positive"
    for wrong in (True, 1.5, "100", None):
        assert refusal(check_amount, wrong).key == "error.amount_format"
    assert MAX_AMOUNT * 1000 * 9000 < 2**63  # a sum of many of the largest orders still fits a BIGINT


@pytest.mark.parametrize("call", [
    lambda v: IdeaFields.clean(title="A folding stool", pitch="p", description_md="d", category_id=1,
                               target_price_min=v),
    lambda v: IdeaFields.clean(title="A folding stool", pitch="p", description_md="d", category_id=1,
                               target_price_max=v),
    lambda v: check_quote(v, 10, 20, ""),
    lambda v: check_price(Money(v, "USD"), "USD"),
    lambda v: check_payout_amount(Money(v, "USD"), "USD"),
])
def test_every_typed_amount_has_the_upper_bound(call) -> None:  # type: ignore[no-untyped-def]
    call(MAX_AMOUNT)
    assert refusal(call, MAX_AMOUNT + 1).key == "error.amount_too_large"
    assert refusal(call, 2**63).key == "error.amount_too_large"


def test_quantities_are_whole_and_bounded() -> None:
    assert refusal(check_quantity, 10**20).key == "error.quantity_range"
    assert refusal(check_quantity, True).key == "error.quantity_range"
    assert refusal(check_quote, 100, 2**40, 10, "").key == "error.moq_range"
    assert check_cap(None) is None and check_cap(MAX_UNITS) == MAX_UNITS
    assert refusal(check_cap, 2**31).key == "error.cap_range"
    assert refusal(check_count, 2.5, 1, 10, "error.window_range").key == "error.window_range"


def test_unknown_choices_are_named_errors() -> None:
    assert parse_enum(OrderStatus, "shipped", "error.order_status_unknown") is OrderStatus.SHIPPED
    assert parse_enum(Role, Role.ADMIN, "error.role_unknown") is Role.ADMIN
    for raw in ("teleported", "", None, 3, ["paid"], "\x00"):
        assert refusal(parse_enum, OrderStatus, raw, "error.order_status_unknown").key == "error.order_status_unknown"
    assert refusal(parse_enum, IdeaStatus, "PUBLISHED", "error.idea_status_unknown").key == "error.idea_status_unknown"
