"""Translation catalogues (English, Korean) usable anywhere, Streamlit or not."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

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


def translate(lang: str, key: str, **params: Any) -> str:
    """The text for `key`, falling back to English, then to the key itself."""
    text = catalogue(lang if lang in LANGUAGES else "en").get(key) or catalogue("en").get(key) or key
    try:
        return text.format(**params) if params else text
    except (KeyError, IndexError, ValueError):
        return text
