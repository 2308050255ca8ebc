"""Getting around in a real browser: what a browser alone decides (its language, its cookies, the
address typed), and tabs that stay open through reruns."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from lib.services.accounts import auth
from lib.services.ideas import browse, cocreation
from tests.e2e.helpers import DEMO_PASSWORD, NAV, WAIT_MS, demo_page, go_to, open_app, reload, settle, wait_for_cookie
from tests.server import services_of

pytestmark = pytest.mark.e2e


def selected_tab(page: Page) -> str:
    return page.get_by_role("tab", selected=True).inner_text(timeout=WAIT_MS).strip()


def test_a_korean_browser_gets_korean_and_a_choice_survives_reloads_and_new_tabs(browser, app_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    try:
        page = context.new_page()
        open_app(page, app_url)
        page.get_by_role("heading", name="아이디어 둘러보기").wait_for(timeout=WAIT_MS)

        page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").click()
        page.get_by_role("option", name="English").click()
        settle(page)
        page.get_by_role("heading", name="Discover ideas").wait_for(timeout=WAIT_MS)
        wait_for_cookie(context, present=True, name="cocreate_lang", value="en")
        reload(page)
        page.get_by_role("heading", name="Discover ideas").wait_for(timeout=WAIT_MS)
        other = context.new_page()
        open_app(other, f"{app_url}/shop")
        other.get_by_role("heading", name="Shop").wait_for(timeout=WAIT_MS)
    finally:
        context.close()


def test_an_unknown_address_says_so_and_keeps_the_address(new_context, app_url):
    page = new_context().new_page()
    open_app(page, f"{app_url}/no-such-page")
    page.get_by_role("heading", name="Page not found").wait_for(timeout=WAIT_MS)
    assert page.url.endswith("/no-such-page")
    assert page.get_by_text("Running the app's main page").count() == 0, "Streamlit's own English dialog"
    page.get_by_role("link", name="Go to the home page").click()
    settle(page)
    page.get_by_role("heading", name="Discover ideas").wait_for(timeout=WAIT_MS)


def test_a_visitor_opening_the_inbox_signs_in_and_comes_back_to_it(new_context, app_url):
    page = new_context().new_page()
    open_app(page, f"{app_url}/inbox")
    page.get_by_role("heading", name="Sign in to see this").wait_for(timeout=WAIT_MS)
    page.get_by_role("main").get_by_role("link", name="Sign in").click()
    settle(page)
    page.get_by_label("E-mail").fill("consumer@demo.cocreate.test")
    page.get_by_role("textbox", name="Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    settle(page)
    page.get_by_role("heading", name="Inbox").wait_for(timeout=WAIT_MS)
    assert "/inbox" in page.url
    page.get_by_text("Welcome back").wait_for(timeout=WAIT_MS)
    assert page.locator(NAV).get_by_role("link", name="Review queue").count() == 0


def test_moderation_tabs_stay_open_after_a_search_and_a_keep(browser, app_url, running_app):
    with services_of(running_app) as ctx:  # something flagged to keep
        consumer = auth.sign_in(ctx, email="consumer@demo.cocreate.test", password=DEMO_PASSWORD).user
        ideas, _ = browse.browse_ideas(ctx, feed="new", limit=20)
        theirs = next(i for i in ideas if i.author_name != consumer.display_name)  # never one's own
        cocreation.flag(ctx, consumer, "idea", theirs.id, "Looks like spam to me")
    page = demo_page(browser, app_url, "moderator")
    try:
        go_to(page, "Review queue")
        page.get_by_role("tab", name="Accounts").click()
        page.get_by_label("Find an account by e-mail or name").fill("maker")
        page.keyboard.press("Enter")
        settle(page)
        assert selected_tab(page) == "Accounts"
        page.get_by_role("tab", name="Flags").click()
        page.get_by_role("button", name="Keep (dismiss flags)").first.click()
        settle(page)
        assert selected_tab(page) == "Flags"
    finally:
        page.context.close()


def test_maker_order_tabs_stay_open_after_filtering(browser, app_url):
    page = demo_page(browser, app_url, "maker")
    try:
        go_to(page, "Orders to fulfil")
        page.get_by_role("tab", name="Shipping list").click()
        page.get_by_test_id("stSelectbox").filter(has_text="Status").click()
        page.get_by_role("option").nth(1).click()
        settle(page)
        assert selected_tab(page) == "Shipping list"
        page.get_by_role("tab", name="Ship", exact=True).click()
        form = page.get_by_test_id("stForm").filter(has_text="Mark shipped")
        form.get_by_label("Carrier").fill("CJ")
        form.get_by_label("Tracking number").fill("TRACK-1")
        form.get_by_role("button", name="Mark shipped").click()
        settle(page)
        assert selected_tab(page) == "Ship"
    finally:
        page.context.close()
