"""One browser journey per feature: browsing, signing up, staying signed in, signing out."""

from __future__ import annotations

import re

import pytest

from tests.e2e.helpers import (
    NAV,
    WAIT_MS,
    go_to,
    open_app,
    reload,
    session_cookie,
    settle,
    sign_in,
    sign_up,
    signed_in_name,
    unique_email,
    wait_for_cookie,
)

pytestmark = pytest.mark.e2e
HERB_PLANTER = "Stackable herb planter"


def test_home_page_shows_the_demo_idea_cards(new_context, app_url):
    page = new_context().new_page()
    open_app(page, app_url)
    page.get_by_role("heading", name="Discover ideas").wait_for()
    page.get_by_text(HERB_PLANTER).first.wait_for()
    cards = page.locator("[data-testid='stPageLink'] a[href*='idea?id=']")  # each card's title is its link
    assert cards.count() >= 6
    icon = page.evaluate("() => [...document.querySelectorAll(\"link[rel*='icon']\")].map(l => l.href)")
    assert icon and all(href.startswith(app_url) for href in icon), f"the favicon comes from elsewhere: {icon}"
    page.get_by_test_id("stSidebarHeader").get_by_role("img").first.wait_for()  # the logo
    assert signed_in_name(page) is None


def test_a_visitor_opens_an_idea_and_reads_its_rendered_description(new_context, app_url):
    page = new_context().new_page()
    open_app(page, app_url)
    page.get_by_role("link", name=re.compile(HERB_PLANTER)).first.click()
    settle(page)
    page.get_by_role("heading", name="Stackable herb planter with self-watering wick").wait_for()
    assert "/idea?id=" in page.url
    description = page.get_by_test_id("stMarkdownContainer").filter(has_text="The problem")
    description.locator("h2", has_text="The problem").wait_for()
    assert description.locator("strong", has_text="stackable").count() == 1
    assert description.locator("li", has_text="fits a 20 cm sill").count() == 1
    assert page.get_by_text("## The problem").count() == 0, "Markdown shown raw"
    # A link to the idea survives a reload: it is a real address.
    reload(page)
    page.get_by_role("heading", name="Stackable herb planter with self-watering wick").wait_for()


def test_sign_up_stays_signed_in_across_reloads_and_tabs_until_signing_out(new_context, app_url):
    context = new_context()
    page = context.new_page()
    name = "Erin Endtoend"
    sign_up(page, app_url, unique_email(), name)

    # (b) it lands back on the home page it started from, signed in and welcomed
    assert page.url.rstrip("/") == app_url.rstrip("/")
    assert signed_in_name(page) == name

    # (c) the cookie keeps us signed in: a reload, and a new tab of the same browser
    cookie = session_cookie(context)
    assert cookie is not None and cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert "cocreate_session" not in page.evaluate("document.cookie"), "scripts must not read it"
    go_to(page, "My account")
    reload(page)
    assert signed_in_name(page) == name
    page.get_by_role("heading", name="My account").wait_for()
    other = context.new_page()
    open_app(other, app_url)
    assert signed_in_name(other) == name

    # (d) signing out ends it, and a reload does not bring it back
    page.get_by_role("button", name="Sign out", exact=True).click()
    settle(page)
    page.get_by_role("heading", name="Discover ideas").wait_for()
    assert signed_in_name(page) is None
    wait_for_cookie(context, present=False)
    reload(page)
    assert signed_in_name(page) is None
    assert page.locator(NAV).get_by_role("link", name="Sign in").is_visible()
    reload(other)
    assert signed_in_name(other) is None


def test_sign_in_then_sign_out_everywhere_signs_out_every_tab_and_device(new_context, app_url):
    email, name = unique_email(), "Evan Everywhere"
    laptop = new_context()
    tab_a, tab_b = laptop.new_page(), laptop.new_page()
    sign_up(tab_a, app_url, email, name)  # signed in on the laptop...
    open_app(tab_b, app_url)
    assert signed_in_name(tab_b) == name  # ...in both of its tabs

    # (e) sign in with the account on a second device
    phone = new_context().new_page()
    sign_in(phone, app_url, email)
    assert signed_in_name(phone) == name

    go_to(tab_a, "My account")  # sign-up left the laptop where it started: the home page
    tab_a.get_by_role("button", name="Sign out everywhere").click()
    tab_a.get_by_role("button", name="Yes, sign out everywhere").click()  # it asks first
    settle(tab_a)
    tab_a.get_by_role("heading", name="Discover ideas").wait_for()
    assert signed_in_name(tab_a) is None

    reload(tab_b)
    assert signed_in_name(tab_b) is None
    assert session_cookie(phone.context) is not None, "the phone still holds its (now revoked) cookie"
    reload(phone)
    assert signed_in_name(phone) is None


def test_a_forged_session_cookie_signs_nobody_in(new_context, app_url):
    context = new_context()
    context.add_cookies([{"name": "cocreate_session", "value": "forged-token.0123abcd", "url": app_url,
                          "httpOnly": True}])
    page = context.new_page()
    open_app(page, app_url)
    page.get_by_role("heading", name="Discover ideas").wait_for(timeout=WAIT_MS)
    assert signed_in_name(page) is None
