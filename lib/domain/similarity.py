"""Similar-idea detection with character n-grams: works for Korean and English alike."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter

_SPACE = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower()
    return _SPACE.sub(" ", _PUNCT.sub(" ", text)).strip()


def _is_hangul(word: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in word)


def ngrams(text: str) -> Counter[str]:
    """Character n-grams within padded words: trigrams for alphabetic words (bigrams of common
    letters match everything), bigrams for Hangul, whose syllables each carry much more."""
    grams: Counter[str] = Counter()
    for word in normalize(text).split(" "):
        n = 2 if _is_hangul(word) else 3
        padded = f" {word} "
        grams.update(padded[i:i + n] for i in range(max(1, len(padded) - n + 1)))
    return grams


def cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(count * b[gram] for gram, count in a.items() if gram in b)
    return dot / (math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values())))


def rank_similar(text: str, candidates: list[tuple[int, str]], limit: int = 5,
                 minimum: float = 0.35) -> list[tuple[int, float]]:
    """(id, score) of the candidates most like `text`, best first, above `minimum`."""
    probe = ngrams(text)
    scored = [(cid, cosine(probe, ngrams(ctext))) for cid, ctext in candidates]
    return sorted([s for s in scored if s[1] >= minimum], key=lambda s: -s[1])[:limit]
