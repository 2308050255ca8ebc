"""In a real Chromium: every page opened with malformed query parameters (a superscript digit, an id
past the database's integer range, a sign, a NUL byte, an exponent, 300 characters; the same in
?edit=, ?review=, ?token=, ?ref= and ?q=), as a visitor and as a signed-in user, shows its normal
message and never a traceback (regression: /idea?id=<30 digits> raised OverflowError in the page).

One browser context for the whole run: the visitor's pass first, then the same browser signs up an
account that holds every role (granted in the database, so every page is in its navigation)."""

from __future__ import annotations

import sqlite3
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page

from lib.domain.accounts import Role, User
from lib.i18n import translate
from lib.services.routes import Screen, path
from lib.ui.nav import page_names_for
from tests.e2e.helpers import WAIT_MS, open_app, sign_up, unique_email
from tests.server import RunningApp
from tests.ui.helpers import NOT_FOUND, TITLES

pytestmark = pytest.mark.e2e

BAD_IDS = ["²", "1" * 30, "-1", "\x00", "1e3", "7" * 300]
BAD_TOKENS = ["\x00" + "a" * 42, "t" * 300, "abc\x1b[31m"]
REFERRER = "DEMO0002"  # a demo maker's code: a well-formed ?ref= makes the shell read ?id= too
EN = lambda key, **kw: translate("en", key, **kw)  # noqa: E731
EVERY_ROLE = User(id=1, email="x@example.com", display_name="x", password_hash="", referral_code="X",
                  roles=set(Role))


def _open(page: Page, app_url: str, name: str, **params: str) -> str:
    url = f"{app_url}{path(Screen(name))}?{urlencode(params)}"
    open_app(page, url)
    shown = page.get_by_test_id("stMain").inner_text(timeout=WAIT_MS)
    exceptions = page.locator("[data-testid='stException']")
    assert exceptions.count() == 0, (url, exceptions.first.inner_text())
    assert "Traceback" not in shown, url
    return shown


def _shows(shown: str, key: str, where: str) -> None:
    assert EN(key) in shown, f"{where}: expected {EN(key)!r}, page shows {shown[:300]!r}"


def _every_page(page: Page, app_url: str, pages: list[str], listing_id: int) -> None:
    for name in pages:
        if name in NOT_FOUND:
            for raw in BAD_IDS:
                _shows(_open(page, app_url, name, id=raw, ref=REFERRER, review=raw), NOT_FOUND[name], f"{name} {raw!r}")
        elif name in ("verify_email", "reset_password"):
            for raw in BAD_TOKENS:
                shown = _open(page, app_url, name, token=raw, ref="\x00", id=BAD_IDS[1])
                _shows(shown, "error.token_invalid", f"{name} {raw!r}")
        elif name == "submit_idea":
            for raw in BAD_IDS:
                _shows(_open(page, app_url, name, edit=raw, ref=REFERRER, id=raw), "error.not_found", f"{name} {raw!r}")
        else:
            shown = _open(page, app_url, name, id=BAD_IDS[1], ref=REFERRER, q="\x00", edit="²", review="-1",
                          token="\x00")
            _shows(shown, TITLES[name], name)
    if "listing" in pages:  # a real product with a malformed ?review=: the product, no review form
        for raw in BAD_IDS:
            shown = _open(page, app_url, "listing", id=str(listing_id), review=raw)
            assert EN("shop.review_title") not in shown and EN("shop.listing_not_found") not in shown, raw


def test_no_page_shows_a_traceback_for_malformed_query_parameters(running_app: RunningApp, new_context):
    db_path = running_app.data_dir / "cocreate.db"
    with sqlite3.connect(db_path) as db:
        listing_id = db.execute("SELECT id FROM listings ORDER BY id LIMIT 1").fetchone()[0]
    page = new_context().new_page()

    visitor_pages = page_names_for(None)
    assert {"idea", "campaign", "listing", "verify_email", "reset_password", "sign_in"} <= set(visitor_pages)
    _every_page(page, running_app.url, visitor_pages, listing_id)

    email = unique_email()
    sign_up(page, running_app.url, email, "Params Tester")
    with sqlite3.connect(db_path, timeout=15) as db:
        user_id = db.execute("SELECT id FROM users WHERE email = ?", (email,)).fetchone()[0]
        db.executemany("INSERT OR IGNORE INTO user_roles (user_id, role) VALUES (?, ?)",
                       [(user_id, role.value) for role in Role])
    signed_in_pages = page_names_for(EVERY_ROLE)
    assert {"submit_idea", "maker_orders", "moderation", "admin_outbox"} <= set(signed_in_pages)
    _every_page(page, running_app.url, signed_in_pages, listing_id)
