"""Query parameters are read through one helper (lib/ui/params.py): an address a person can type
never raises in a page; what cannot be an id or a token gets the page's normal message."""

from __future__ import annotations

import ast

import pytest

from lib.domain.ideas import IdeaFields
from lib.i18n import translate
from lib.services.commerce import shop
from lib.services.ideas import authoring, browse
from lib.ui.params import MAX_ID, parse_id, parse_text
from tests.ui.conftest import PASSWORD, ROOT
from tests.ui.helpers import values, visit

EN = lambda key, **kw: translate("en", key, **kw)  # noqa: E731
MALFORMED_IDS = ["²", "1" * 30, "-1", "\x00", "1e3", "9" * 300, "+3", " 3", "3 ", "٣", "0", str(2**63),
                 "0x10", "1_000", "3.0", "3\n"]
NOT_FOUND = {"idea": "idea.not_found", "campaign": "campaign.not_found", "listing": "shop.listing_not_found"}


@pytest.mark.parametrize("raw", MALFORMED_IDS)
def test_only_ascii_digits_within_the_database_range_are_ids(raw):
    assert parse_id(raw) is None


def test_ids_within_the_range_are_read():
    assert parse_id("3") == 3
    assert parse_id("007") == 7
    assert parse_id(str(MAX_ID)) == MAX_ID == 2**63 - 1
    assert parse_id(None) is None and parse_id("") is None


@pytest.mark.parametrize("raw", ["\x00abc", "abc\x1b[31m", "a\u202eb", "a\ud800", "x" * 201, "", "   ", "a\rb"])
def test_text_parameters_refuse_control_characters_and_length(raw):
    assert parse_text(raw, 200) is None


def test_text_parameters_pass_ordinary_text():
    assert parse_text("  Kf3_x-Yz  ", 200) == "Kf3_x-Yz"
    assert parse_text("한국어 검색", 20) == "한국어 검색"
    assert parse_text("x" * 200, 200) == "x" * 200


def _reads_query_params(path) -> bool:  # type: ignore[no-untyped-def]
    """True when the file reads st.query_params (anything but clearing it)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr == "query_params":
            return True
    return False


def test_only_the_helper_reads_query_parameters():
    readers = {p.relative_to(ROOT).as_posix() for folder in ("pages", "lib/ui") for p in (ROOT / folder).rglob("*.py")
               if _reads_query_params(p)}
    assert readers == {"lib/ui/params.py"}


@pytest.mark.parametrize("role", ["visitor", "consumer"])
@pytest.mark.parametrize("page", sorted(NOT_FOUND))
def test_a_malformed_id_is_the_pages_not_found_message(make_app, role, page):
    at = make_app(role)
    for raw in MALFORMED_IDS:
        visit(at, page, id=raw, ref="DEMO0001")
        assert not at.exception, (page, raw, [e.message for e in at.exception])
        assert values(at.warning) == [EN(NOT_FOUND[page])], (page, raw)


def test_a_malformed_review_parameter_is_ignored_on_the_listing_page(app_ctx, make_app, new_account):
    listing_id = shop.browse(app_ctx, query="", category=None, limit=1, offset=0)[0].id
    at = make_app(email=new_account("Review Param Buyer").email, password=PASSWORD)  # has bought nothing
    for raw in MALFORMED_IDS:
        visit(at, "listing", id=str(listing_id), review=raw)
        assert not at.exception, (raw, [e.message for e in at.exception])
        assert EN("shop.listing_not_found") not in values(at.warning) and not at.error, raw
        assert EN("shop.review_title") not in values(at.subheader), "no review form for an order it cannot name"
        assert at.title, raw


def test_a_malformed_edit_parameter_says_not_found(app_ctx, make_app, new_account):
    author = new_account("Edit Param Author")
    fields = IdeaFields.clean(title="A desk lamp for the params test", pitch="Pitch for the test.",
                              description_md="Text.", category_id=browse.categories(app_ctx)[0].id)
    idea_id = authoring.create_idea(app_ctx, author, fields=fields)
    at = make_app(email=author.email, password=PASSWORD)
    for raw in MALFORMED_IDS:
        visit(at, "submit_idea", edit=raw)
        assert not at.exception, (raw, [e.message for e in at.exception])
        assert values(at.error) == [EN("error.not_found")], raw
        assert not at.text_input, "no form for an idea the address cannot name"
    visit(at, "submit_idea", edit=str(idea_id))
    assert [t.value for t in at.title] == [EN("submit.edit_title")]
    visit(at, "submit_idea", edit="")
    assert [t.value for t in at.title] == [EN("submit.title")], "an empty ?edit= is a new idea"


@pytest.mark.parametrize("page", ["verify_email", "reset_password"])
def test_a_malformed_token_is_the_invalid_link_message(make_app, page):
    at = make_app()
    for raw in ["\x00" + "a" * 42, "a" * 300, "abc\x1b", "a\u202eb"]:
        visit(at, page, token=raw)
        assert not at.exception, (page, raw, [e.message for e in at.exception])
        assert values(at.error) == [EN("error.token_invalid")], (page, raw)
    visit(at, page, token="a-well-formed-but-unknown-token")
    assert not at.exception


@pytest.mark.parametrize("ref", ["\x00", "DEMO0001\x00", "x" * 300, "DEMO\u202e0001"])
def test_a_malformed_referral_code_is_ignored_on_every_visit(make_app, ref):
    at = make_app()
    for page in ("discover", "shop", "campaigns"):
        visit(at, page, ref=ref, id="²", q="\x00")
        assert not at.exception, (page, ref, [e.message for e in at.exception])
        assert at.title, page
