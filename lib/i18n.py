"""Translation catalogues (English, Korean) usable anywhere, Streamlit or not."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale

LANGUAGES = {"en": "English", "ko": "한국어"}
_DIR = Path(__file__).resolve().parent / "locales"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The catalogue for one language (read once per process, never mutated): `<lang>.json`
    plus one `<lang>.<area>.json` per area of the app, which must not share keys."""
    merged: dict[str, str] = {}
    for path in [_DIR / f"{lang}.json", *sorted(_DIR.glob(f"{lang}.*.json"))]:
        part = json.loads(path.read_text(encoding="utf-8"))
        clash = merged.keys() & part.keys()
        if clash:
            raise ValueError(f"{path.name} repeats keys: {sorted(clash)[:5]}")
        merged |= part
    return merged


def plural_form(lang: str, count: Any) -> str:
    """CLDR's plural category of `count` in `lang` ('one' or 'other' in English; Korean has only 'other')."""
    try:
        return str(Locale.parse(lang).plural_form(abs(int(count))))
    except (TypeError, ValueError):
        return "other"


def translate(lang: str, key: str, **params: Any) -> str:
    """The text for `key`, falling back to English, then to the key itself. A text that changes with a
    number takes it as `count` and has one key per plural form (`key_one`, `key_other`); a language
    with one form (Korean) may keep the plain key."""
    lang = lang if lang in LANGUAGES else "en"
    keys = [key]
    if "count" in params:
        keys = [f"{key}_{plural_form(lang, params['count'])}", f"{key}_other", key]
    text = next((found for book in (catalogue(lang), catalogue("en")) for k in keys if (found := book.get(k))), key)
    try:
        return text.format(**params) if params else text
    except (KeyError, IndexError, ValueError):
        return text


def preferred_language(accept: str | None) -> str | None:
    """The first of our languages in a browser's preference (`navigator.language` such as "ko-KR", or
    an Accept-Language header such as "ko-KR,ko;q=0.9,en;q=0.8", by weight), or None."""
    if not accept or len(accept) > 500:
        return None
    ranked = []
    for position, part in enumerate(accept.split(",")[:20]):
        tag, _, weight = part.strip().partition(";q=")
        try:
            quality = float(weight) if weight else 1.0
        except ValueError:
            continue
        ranked.append((-quality, position, tag.split("-", 1)[0].strip().lower()))
    return next((lang for _, _, lang in sorted(ranked) if lang in LANGUAGES), None)
