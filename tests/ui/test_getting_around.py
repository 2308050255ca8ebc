"""Getting around: sign-in returns to the page it was asked from, guarded and unknown pages say so,
and the sidebar lists every page a person has, by section."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

import pytest
from streamlit.testing.v1 import AppTest

from lib.domain.ideas import Action, allows
from lib.i18n import translate
from lib.services.commerce import shop
from lib.services.ideas import browse
from lib.services.routes import Screen, parse_href, path
from lib.ui.nav import SECTIONS, page_names_for
from tests.ui.conftest import PASSWORD
from tests.ui.helpers import _walk, follow, links, visit
from tests.ui.test_accounts_pages import sign_in, sign_up, unique_email

EN = lambda key, **kw: translate("en", key, **kw)  # noqa: E731


def links_in(block: Any) -> list[tuple[str, str, dict[str, str]]]:
    """(label, page, query parameters) of the page links drawn in one block (at.sidebar, at.main)."""
    return [(n.proto.label, n.proto.page.strip("/"), dict(parse_qsl(n.proto.query_string))) for n in _walk(block)
            if hasattr(getattr(n, "proto", None), "page_script_hash")]


def a_listing(app_ctx: Any) -> int:
    return shop.browse(app_ctx, limit=1)[0].id


@pytest.mark.parametrize("address", ["https://evil.example/listing?id=3", "//evil.example/listing", "/\\evil",
                                     "/nowhere?id=3", "javascript:alert(1)", "listing?id=3", "/listing\n?id=3",
                                     "/" + "a" * 600, None, 3])
def test_only_a_page_of_this_site_is_a_return_address(address: object) -> None:
    assert parse_href(address) is None


def test_a_return_address_is_read_back_through_the_route_table() -> None:
    assert parse_href("/listing?id=3") == (Screen.LISTING, {"id": "3"})
    assert parse_href("/") == (Screen.DISCOVER, {})
    assert parse_href("/inbox#top") == (Screen.INBOX, {})


def test_signing_in_from_a_listing_returns_to_it_with_a_welcome(app_ctx, make_app, new_account):
    user = new_account("Ana Buyer")
    listing = a_listing(app_ctx)
    at = visit(make_app(), "listing", id=str(listing))
    prompts = [(label, params) for label, page, params in links(at) if page == "sign_in" and label == EN("nav.sign_in")]
    assert ("Sign in", {"next": f"/listing?id={listing}"}) in prompts, "the prompt's link must return here"
    follow(at, EN("nav.sign_in"))
    at = sign_in(at, user.email, PASSWORD)
    assert not at.exception and not at.error
    assert at.query_params["id"] == [str(listing)] or at.query_params["id"] == str(listing)
    assert [s.value for s in at.success] == [EN("nav.welcome_back", name="Ana Buyer", step=EN("nav.next.listing"))]


def test_sign_up_returns_to_the_page_with_a_welcome_not_to_my_account(app_ctx, make_app):
    listing = a_listing(app_ctx)
    at = visit(make_app(), "sign_up", next=f"/listing?id={listing}")
    at = sign_up(at, unique_email(), "Nova Returner")
    assert not at.exception and not at.error
    assert EN("account.title") not in [t.value for t in at.title]
    assert [s.value for s in at.success] == [EN("sign_up.done", name="Nova Returner", step=EN("nav.next.listing"))]
    assert not [b for b in at.button if b.label == EN("account.sign_out")]


def test_a_foreign_return_address_lands_on_the_home_page(make_app, new_account):
    user = new_account("Olive Redirect")
    at = sign_in(visit(make_app(), "sign_in", next="https://evil.example/"), user.email, PASSWORD)
    assert not at.exception
    assert [t.value for t in at.title] == [EN("discover.title")]


@pytest.mark.parametrize("page", ["inbox", "moderation", "admin_users", "submit_idea"])
def test_a_visitor_on_a_members_page_is_asked_to_sign_in_and_comes_back(make_app, demo_users, page):
    at = visit(make_app(), page)
    assert not at.exception
    assert [t.value for t in at.title] == [EN("gate.sign_in_title")]
    assert ("Sign in", "sign_in", {"next": f"/{page}"}) in links(at)
    follow(at, EN("nav.sign_in"))
    at = sign_in(at, "admin@demo.cocreate.test", "cocreate-demo")
    assert not at.exception and not at.error
    assert EN("gate.sign_in_title") not in [t.value for t in at.title]
    assert at.title, f"{page} did not render after signing in"


@pytest.mark.parametrize(("role", "page"), [("consumer", "moderation"), ("moderator", "admin_outbox"),
                                            ("consumer", "maker_orders")])
def test_a_signed_in_person_without_the_role_is_told_so(make_app, role, page):
    at = visit(make_app(role), page)
    assert not at.exception
    assert [t.value for t in at.title] == [EN("gate.no_access_title")]
    assert [w.value for w in at.warning] == [EN("gate.no_access_body")]


def _registered_pages() -> None:  # an AppTest script: st.Page needs a script run
    import streamlit as st

    from lib.ui import gate
    from lib.ui.nav import navigation

    for name in ("no-such-page", "inbox", "a/b", ""):
        st.text(",".join(p.url_path for p in navigation(None, 0, gate.unknown_page, name)))


def test_an_unknown_address_gets_its_own_does_not_exist_page() -> None:
    """Streamlit would run the home page for it (and pop up its English "Page not found"): the
    address is registered for this run, drawn by gate.unknown_page. (In Chromium: tests/e2e/test_getting_around.)"""
    at = AppTest.from_function(_registered_pages, default_timeout=30).run()
    known = [path(s).removeprefix("/") for s in Screen]
    unknown, *others = [sorted(t.value.split(",")) for t in at.text]
    assert unknown == sorted([*known, "no-such-page"])
    assert others == [sorted(known)] * 3


@pytest.mark.parametrize("role", ["visitor", "consumer", "maker", "moderator", "admin"])
def test_the_sidebar_lists_every_page_of_the_person_by_section(make_app, demo_users, role):
    at = make_app(role)
    listed = [page for _, page, _ in links_in(at.sidebar)]
    wanted = [spec.screen.value for specs in SECTIONS.values() for spec in specs
              if not spec.hidden and spec.screen.value in page_names_for(demo_users[role])]
    assert listed == [("" if name == "discover" else name) for name in wanted]
    bodies = [getattr(getattr(n, "proto", None), "body", "") for n in _walk(at.sidebar)]
    headings = [body for body in bodies if body.startswith("**")]
    shown_sections = [EN(s) for s, specs in SECTIONS.items()
                      if any(not p.hidden and p.screen.value in page_names_for(demo_users[role]) for p in specs)]
    assert headings == [f"**{s}**" for s in shown_sections]


def _an_open_idea_and_campaign(app_ctx: Any) -> tuple[int, int]:
    ideas, _ = browse.browse_ideas(app_ctx, feed="new", limit=100)
    idea = next(c.id for c in ideas if allows(c.status, Action.SUPPORT))
    return idea, browse.browse_campaigns(app_ctx, limit=1)[0].id


def test_every_sign_in_prompt_is_the_same_button_back_to_its_page(app_ctx, make_app):
    idea, campaign = _an_open_idea_and_campaign(app_ctx)
    listing = a_listing(app_ctx)
    for page, target, prompts in (("idea", idea, ["idea.sign_in_to_support", "idea.sign_in_to_comment"]),
                                  ("campaign", campaign, ["campaign.sign_in_to_preorder"]),
                                  ("listing", listing, ["shop.sign_in_to_buy"])):
        at = visit(make_app(), page, id=str(target))
        assert not at.exception
        assert [i.value for i in at.info if i.value in [EN(k) for k in prompts]] == [EN(k) for k in prompts]
        buttons = [(label, params) for label, to, params in links_in(at.main) if to == "sign_in"]
        assert buttons == [(EN("nav.sign_in"), {"next": f"/{page}?id={target}"})] * len(prompts), page

