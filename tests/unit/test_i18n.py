"""Translation catalogues: English and Korean agree, and every key the code uses exists.

Keys are found by parsing pages/, lib/ and streamlit_app.py: literal `t("...")` and
`translate(lang, "...")` calls, every "error.*" string, and each dynamic key family
(`t(f"status.{...}")`, `t("status." + ...)`) expanded over the values it can take.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import pkgutil
import re
import string
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

import lib
from lib.domain.accounts import Role
from lib.domain.campaigns import CampaignStatus, PreorderStatus, QuoteStatus, ShippingAddress
from lib.domain.errors import DomainError, InvalidInput
from lib.domain.ideas import FlagReason, IdeaStatus
from lib.i18n import LANGUAGES, catalogue, translate

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([*ROOT.joinpath("pages").rglob("*.py"), *ROOT.joinpath("lib").rglob("*.py"),
                  ROOT / "streamlit_app.py"])
PLURAL = re.compile(r"^(.+)_(one|other)$")


def _families(texts: dict[str, str]) -> set[str]:
    """The plural families of a catalogue: base keys with both a `_one` and an `_other` text."""
    return {m[1] for k in texts if (m := PLURAL.match(k)) and f"{m[1]}_one" in texts and f"{m[1]}_other" in texts}


def _folded(texts: dict[str, str]) -> dict[str, str]:
    """A catalogue with each plural family (`key_one`, `key_other`) under its base key (the `_other` text):
    the code asks for the base key with a count, and Korean, with one form, keeps the base key."""
    families = _families(catalogue("en"))
    folded = {k: v for k, v in texts.items() if not ((m := PLURAL.match(k)) and m[1] in families)}
    return folded | {f: texts[f"{f}_other"] for f in families if f"{f}_other" in texts}


EN, KO = _folded(catalogue("en")), _folded(catalogue("ko"))


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@cache
def _trees() -> dict[Path, ast.AST]:
    return {path: ast.parse(path.read_text(encoding="utf-8"), str(path)) for path in SOURCES}


def _calls(names: set[str]) -> Iterator[tuple[Path, ast.Call]]:
    for path, tree in _trees().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                if name in names:
                    yield path, node


def _strings(node: ast.AST) -> set[str]:
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def _call_arg(call: ast.Call, index: int, keyword: str) -> ast.AST | None:
    if len(call.args) > index:
        return call.args[index]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def _key_uses() -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(literal keys, dynamic prefixes), each paired with where it was seen."""
    literal, dynamic = set(), set()
    for path, call in [*_calls({"t"}), *_calls({"translate"})]:
        is_t = (call.func.id if isinstance(call.func, ast.Name) else call.func.attr) == "t"  # type: ignore[union-attr]
        arg = _call_arg(call, 0 if is_t else 1, "key")
        where = f"{path.relative_to(ROOT)}:{call.lineno}"
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            literal.add((arg.value, where))
        elif isinstance(arg, ast.JoinedStr) and arg.values and isinstance(arg.values[0], ast.Constant):
            dynamic.add((str(arg.values[0].value), where))
        elif (isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Add) and isinstance(arg.left, ast.Constant)
              and isinstance(arg.left.value, str)):
            dynamic.add((arg.left.value, where))
    return literal, dynamic


def _kinds(call_names: set[str], index: int, keyword: str) -> set[str]:
    """Every string constant passed as one argument of these calls (conditional expressions included)."""
    found: set[str] = set()
    for _, call in _calls(call_names):
        arg = _call_arg(call, index, keyword)
        if arg is not None:
            found |= _strings(arg)
    return found


def _audit_details() -> set[str]:
    """The named details audit.record(...) calls write (what the audit log labels)."""
    return {k.arg for _, call in _calls({"record"}) if len(call.args) >= 5 for k in call.keywords
            if k.arg and k.arg != "reason"} - {"currency"}


def _import_everything_without_ui() -> None:
    for info in pkgutil.walk_packages(lib.__path__, "lib."):
        if not info.name.startswith(("lib.ui", "lib.web", "lib.adapters.db.migrations")):
            importlib.import_module(info.name)


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def _dynamic_values() -> dict[str, set[str]]:
    """What each dynamic key family can be completed with, read from the code that produces it."""
    from lib.services.ideas import browse, cocreation

    return {
        "status.": {s.value for s in IdeaStatus},
        "role.": {r.value for r in Role},
        "campaign.status.": {s.value for s in CampaignStatus},
        "preorder.status.": {s.value for s in PreorderStatus},
        "quote.status.": {s.value for s in QuoteStatus},
        "address.": {f.name for f in dataclasses.fields(ShippingAddress)},
        "notification.": _kinds({"notify"}, 3, "kind"),
        "feed.": set(browse.FEEDS),
        "mod.target.": set(cocreation.FLAG_TARGETS),
        "flag.kind.": {k.value for k in FlagReason},
        # audit.record(ctx, uow, actor, action, ...) and the repository's add_audit(actor_id, action, ...)
        "audit.action.": _kinds({"_audit", "record"}, 3, "action") | _kinds({"add_audit"}, 1, "action"),
        "audit.target.": _kinds({"record"}, 4, "target_type") | _kinds({"add_audit"}, 2, "target_type"),
        "audit.detail.": _audit_details(),
        "suggestion.": {"open"} | _kinds({"decide_suggestion"}, 1, "status"),
    }


# ---- the catalogues themselves --------------------------------------------------------------


def test_both_languages_are_loaded() -> None:
    assert set(LANGUAGES) == {"en", "ko"}
    assert len(EN) > 100


def test_english_and_korean_have_exactly_the_same_keys() -> None:
    assert sorted(set(EN) - set(KO)) == [], "missing in ko.json"
    assert sorted(set(KO) - set(EN)) == [], "missing in en.json"


@pytest.mark.parametrize("key", sorted(EN))
def test_same_placeholders_in_both_languages(key: str) -> None:
    assert _placeholders(EN[key]) == _placeholders(KO.get(key, "")), key


def test_no_empty_or_untranslated_texts() -> None:
    for lang, texts in (("en", EN), ("ko", KO)):
        assert [k for k, v in texts.items() if not isinstance(v, str) or not v.strip()] == [], lang
    hangul = re.compile(r"[\uac00-\ud7a3]")
    untranslated = [k for k in KO if KO[k] == EN[k] and re.search(r"[A-Za-z]{4,}", EN[k])
                    and not hangul.search(KO[k])]
    assert len(untranslated) <= len(KO) // 20, f"Korean copies English for: {untranslated}"


def test_plural_families_are_complete_and_chosen_by_count() -> None:
    english, korean = catalogue("en"), catalogue("ko")
    families = _families(english)
    assert len(families) >= 15
    assert sorted(f for f in families if f not in korean) == []  # Korean has one form: the base key
    assert translate("en", "mod.flag_count", count=1) == "1 flag"
    assert translate("en", "mod.flag_count", count=4) == "4 flags"
    assert translate("en", "shop.rating", stars="★", avg="4.0", count=1) == "★ 4.0 (1 rating)"
    assert translate("ko", "mod.flag_count", count=1) == "신고 1건"
    assert [k for k, v in english.items() if "(s)" in v] == []


def test_translate_falls_back_to_english_then_the_key() -> None:
    assert translate("ko", "common.save") == KO["common.save"]
    assert translate("xx", "common.save") == EN["common.save"]
    assert translate("en", "no.such.key") == "no.such.key"


# ---- keys used by the code ------------------------------------------------------------------


def test_the_source_scan_finds_what_it_should() -> None:
    literal, dynamic = _key_uses()
    assert len(literal) > 50
    assert {"status.", "role.", "notification."} <= {prefix for prefix, _ in dynamic}
    assert {"role_granted", "welcome_demo"} <= _dynamic_values()["notification."]


def test_every_literal_key_exists() -> None:
    literal, _ = _key_uses()
    missing = sorted(f"{key} ({where})" for key, where in literal if key not in EN)
    assert missing == []


def test_every_dynamic_key_family_is_known_and_complete() -> None:
    _, dynamic = _key_uses()
    values = _dynamic_values()
    unknown = sorted(f"{prefix}... ({where})" for prefix, where in dynamic if prefix not in values)
    assert unknown == [], "teach _dynamic_values() which values complete these keys"
    missing = sorted({f"{prefix}{v}" for prefix, _ in dynamic for v in values[prefix]} - set(EN))
    assert missing == []


def test_every_error_string_in_the_code_exists() -> None:
    used = {s for tree in _trees().values() for s in _strings(tree) if re.fullmatch(r"error\.[a-z0-9_]+", s)}
    assert used, "the scan found no error keys"
    assert sorted(used - set(EN)) == []


def test_every_domain_error_key_exists() -> None:
    _import_everything_without_ui()
    classes = {DomainError} | _subclasses(DomainError)
    assert len(classes) >= 10
    keys = {cls.key for cls in classes}
    keys |= _kinds({"InvalidInput"}, 0, "key")
    assert sorted(keys - set(EN)) == []
    assert InvalidInput("error.email_malformed").key == "error.email_malformed"


def test_navigation_titles_exist() -> None:
    nav = ROOT.joinpath("lib", "ui", "nav.py").read_text(encoding="utf-8")
    keys = set(re.findall(r"[\"'](nav\.[a-z_.]+)[\"']", nav))
    assert len(keys) > 5
    assert sorted(keys - set(EN)) == []


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_every_text_formats_with_its_own_placeholders(lang: str) -> None:
    texts = catalogue(lang)
    for key, text in texts.items():
        params = dict.fromkeys(_placeholders(text), 1)
        text.format(**params)  # a stray brace or positional field would raise here
        assert translate(lang, key, **params) != key
