"""The one gate for text people type: what is normalised, what is stripped, what is refused.

Every text a person can submit passes `clean_text` with the kind of its field:

* ONE_LINE (titles, pitches, names, tags, carriers, tracking numbers, one-line reasons, search
  queries) and DISPLAY_NAME: one line; runs of spaces become one space.
* MULTI_LINE (Markdown: descriptions, comments, suggestions, updates, reviews, replies, moderation
  notes and reasons, template bodies): line breaks and tabs are kept, CR LF becomes LF.
* EMAIL: one line, no spaces inside (the address check itself lives in accounts).

For all of them: the text is NFC-normalised, leading and trailing whitespace (and zero-width
characters) is stripped, and these are refused with a named, translated error:

* lone surrogates (they cannot be encoded: PostgreSQL's driver raises UnicodeEncodeError),
* C0 and C1 control characters, NUL and DEL included, which also refuses ANSI escape sequences
  (they start with ESC or CSI); multi-line text keeps LF and TAB,
* bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069: "Safe idea \\u202egnp.exe"
  shows as "...exe.png"); in one-line kinds the marks U+200E, U+200F and U+061C too,
* line breaks inside a one-line field,
* content that is empty once whitespace and invisible characters are removed, where text is
  required, and text longer than the field's limit (counted after normalisation).
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from lib.domain.errors import InvalidInput


class TextKind(StrEnum):
    ONE_LINE = "one_line"
    MULTI_LINE = "multi_line"
    EMAIL = "email"
    DISPLAY_NAME = "display_name"


class UnsafeText(InvalidInput):
    """Text holding characters that are never accepted (control, bidi, broken characters, line breaks)."""


CONTROL_KEY = "error.text_control"
BIDI_KEY = "error.text_bidi"
SURROGATE_KEY = "error.text_surrogate"
LINE_BREAK_KEY = "error.text_line_break"
NOT_TEXT_KEY = "error.invalid_input"
TOO_LONG_KEY = "error.field_too_long"

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
BIDI_MARKS = frozenset("\u200e\u200f\u061c")  # LRM, RLM, ALM: refused where there is one line
# Characters that take no room: zero-width space, joiners, word joiner, BOM, and the "filler"
# letters that render blank (Hangul fillers, braille blank, the Mongolian vowel separator).
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u180e\u034f")
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
INVISIBLE = ZERO_WIDTH | BLANK_LETTERS
_LINE_SEPARATORS = re.compile("\r\n?|[\u2028\u2029]")
_SPACES = re.compile(r"\s+")  # in one line, after the refusals: spaces and other Unicode spaces only
# How much longer than its limit raw input may be before it is refused unread (NFC can at most
# triple a string, and stripping makes it shorter): the work per request stays bounded.
_SLACK = 4


def _is_edge(ch: str) -> bool:
    return ch in " \t\n" or ch in INVISIBLE or unicodedata.category(ch) == "Zs"


def _strip(text: str) -> str:
    start, end = 0, len(text)
    while start < end and _is_edge(text[start]):
        start += 1
    while end > start and _is_edge(text[end - 1]):
        end -= 1
    return text[start:end]


def has_surrogates(text: str) -> bool:
    """True when `text` holds a lone surrogate (it cannot be encoded as UTF-8)."""
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def visible_length(text: str) -> int:
    """How many characters of `text` show: whitespace, format and blank characters do not count."""
    return sum(1 for ch in text if not (ch.isspace() or ch in INVISIBLE or unicodedata.category(ch) == "Cf"))


def _refusal(text: str, kind: TextKind) -> str | None:
    """The key of the first reason to refuse `text` (already NFC, line breaks as LF), or None."""
    multi = kind is TextKind.MULTI_LINE
    for ch in text:
        if ch in BIDI_CONTROLS or (not multi and ch in BIDI_MARKS):
            return BIDI_KEY
        if ch == "\n" and not multi:
            return LINE_BREAK_KEY
        if unicodedata.category(ch) == "Cc" and not (multi and ch in "\n\t"):
            return CONTROL_KEY
    return None


def clean_text(raw: object, kind: TextKind, *, max_length: int, required: str | None = None,
               too_long: str = TOO_LONG_KEY, min_length: int = 0, too_short: str | None = None,
               refused: str | None = None) -> str:
    """`raw` normalised for its kind of field, or a named error.

    `required` is the key said when nothing visible was typed (None: empty text is fine);
    `min_length` counts visible characters (`too_short` is said below it, with {min});
    `too_long` is said above `max_length` characters (with {max}); `refused`, when given,
    replaces the key of every refused character (a field with one message for all of them)."""
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        raise InvalidInput(NOT_TEXT_KEY)
    if has_surrogates(raw):
        raise UnsafeText(refused or SURROGATE_KEY)
    if len(raw) > max_length * _SLACK + 1024:
        raise InvalidInput(too_long, max=max_length)
    text = _strip(_LINE_SEPARATORS.sub("\n", unicodedata.normalize("NFC", raw)))
    problem = _refusal(text, kind)
    if problem is not None:
        raise UnsafeText(refused or problem)
    if kind is not TextKind.MULTI_LINE:
        text = _SPACES.sub(" ", text)
    shown = visible_length(text)
    if shown == 0:
        if required is not None:
            raise InvalidInput(required, max=max_length)
        if min_length == 0:
            return ""
    if shown < min_length:
        raise InvalidInput(too_short or required or NOT_TEXT_KEY, min=min_length, max=max_length)
    if len(text) > max_length:
        raise InvalidInput(too_long, max=max_length)
    return text


def one_line(raw: object, max_length: int, *, required: str | None = None, too_long: str = TOO_LONG_KEY) -> str:
    """A one-line field (see the module docstring)."""
    return clean_text(raw, TextKind.ONE_LINE, max_length=max_length, required=required, too_long=too_long)


def multi_line(raw: object, max_length: int, *, required: str | None = None, too_long: str = TOO_LONG_KEY) -> str:
    """A multi-line Markdown field (see the module docstring)."""
    return clean_text(raw, TextKind.MULTI_LINE, max_length=max_length, required=required, too_long=too_long)


def search_query(raw: object, max_length: int) -> str:
    """What someone searches for: one line, cut to `max_length` (a search box never says "too long")."""
    text = raw[: max_length * 2] if isinstance(raw, str) else raw
    return one_line(text, max_length * 2)[:max_length].rstrip()
