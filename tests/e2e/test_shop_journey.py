"""In a real Chromium: a visitor arrives through a community member's referral link, signs up and
buys a listing with the local test card; the maker ships it with a tracking number; the buyer
confirms delivery and reviews it; the referrer, the idea's creator and its co-creator each see
their earnings grow (the sale went through the double-entry ledger)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.e2e.helpers import NAV, PASSWORD, WAIT_MS, demo_page, go_to, open_app, settle, unique_email, wait_for_cookie
from tests.server import RunningApp, start_app

pytestmark = pytest.mark.e2e
LISTING = "Cold brew pitcher with a fine mesh core"


@pytest.fixture(scope="module")
def shop_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    app = start_app(tmp_path_factory.mktemp("shop-journey"))
    yield app
    app.stop()


def _people(app: RunningApp) -> dict[str, Any]:
    """Who is who in the seeded demo (read once from its SQLite file)."""
    with sqlite3.connect(app.data_dir / "cocreate.db") as db:
        listing_id, idea_id, maker = db.execute(
            "SELECT l.id, l.idea_id, u.email FROM listings l JOIN users u ON u.id = l.maker_id "
            "WHERE l.title = ? AND l.campaign_id IS NOT NULL", (LISTING,)).fetchone()
        author, author_id = db.execute("SELECT u.email, u.id FROM ideas i JOIN users u ON u.id = i.author_id "
                                       "WHERE i.id = ?", (idea_id,)).fetchone()
        co_creator = db.execute("SELECT u.email FROM co_creators c JOIN users u ON u.id = c.user_id "
                                "WHERE c.idea_id = ? ORDER BY c.user_id LIMIT 1", (idea_id,)).fetchone()[0]
        referrer = db.execute(
            "SELECT email FROM users WHERE email LIKE '%@demo.cocreate.test' AND id NOT IN "
            "(SELECT user_id FROM user_roles WHERE role != 'consumer') AND id != ? AND email NOT IN (?, ?) "
            "AND id NOT IN (SELECT referrer_id FROM referral_clicks) ORDER BY id DESC LIMIT 1",
            (author_id, co_creator, maker)).fetchone()[0]
        # Some demo accounts read Korean; these browser checks read English labels.
        db.execute("UPDATE users SET locale = 'en' WHERE email IN (?, ?, ?, ?)", (maker, author, co_creator, referrer))
    handle = lambda email: email.split("@")[0]  # noqa: E731
    return {"listing": listing_id, "maker": handle(maker), "author": handle(author),
            "co_creator": handle(co_creator), "referrer": handle(referrer)}


def _metric(page: Page, label: str) -> str:
    metric = page.get_by_test_id("stMetric").filter(has=page.get_by_text(label, exact=True)).first
    return metric.get_by_test_id("stMetricValue").inner_text(timeout=WAIT_MS).strip()


def _amount(text: str) -> float:
    return float(re.sub(r"[^\d.]", "", text) or 0)


def _earned(browser: Any, app: RunningApp, handle: str, label: str) -> float:
    page = demo_page(browser, app.url, handle)
    go_to(page, "Earnings")
    value = _amount(_metric(page, label))
    page.context.close()
    return value


def test_referred_visitor_buys_maker_ships_buyer_reviews_everyone_earns(shop_app, browser, new_context):
    app = shop_app
    who = _people(app)
    before = {role: _earned(browser, app, who[role], label) for role, label in
              (("author", "As creator"), ("co_creator", "As co-creator"), ("referrer", "As referrer"))}

    # The referrer copies the share link from the product page.
    referrer = demo_page(browser, app.url, who["referrer"])
    open_app(referrer, f"{app.url}/listing?id={who['listing']}")
    share = referrer.get_by_test_id("stCode").filter(has_text="ref=").first.inner_text().strip()
    assert f"/listing?id={who['listing']}" in share and "ref=" in share
    share = app.url + share[share.index("/listing"):]  # the link names the configured public address
    referrer.context.close()

    # A visitor follows it, signs up in the same visit, and buys with the test card.
    page = new_context().new_page()
    open_app(page, share)
    page.get_by_role("heading", name=LISTING).wait_for()
    page.get_by_text("Sign in to buy.").wait_for()
    page.locator(NAV).get_by_role("link", name="Sign up").click()
    settle(page)
    page.get_by_label("E-mail").fill(unique_email())
    page.get_by_label("Display name").fill("Rina Referred")
    page.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
    page.get_by_role("textbox", name="Password again").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    settle(page)
    page.get_by_text("Welcome to Cocreate, Rina Referred — you can now buy this.").wait_for()
    page.get_by_role("heading", name=LISTING).wait_for()  # back on the shared listing
    wait_for_cookie(page.context, present=True)
    open_app(page, f"{app.url}/listing?id={who['listing']}")
    form = page.get_by_test_id("stForm").filter(has_text="Buy now")
    for label, value in (("Address", "7 Test Road"), ("City", "Seoul"), ("Postal code", "04524"),
                         ("Country", "KR"), ("Card number (TEST MODE)", "4242424242424242")):
        form.get_by_label(label, exact=True).fill(value)
    form.get_by_role("button", name="Buy now").click()
    settle(page)
    page.get_by_text(re.compile(r"Thank you! 1 unit bought")).wait_for()
    go_to(page, "My orders")
    page.get_by_text(re.compile(r"Quantity 1 · \$[\d.]+ · Paid$")).first.wait_for()

    # The maker ships it with a carrier and a tracking number.
    maker = demo_page(browser, app.url, who["maker"])
    go_to(maker, "Orders to fulfil")
    maker.get_by_role("tab", name="Ship", exact=True).click()
    ship = maker.get_by_test_id("stForm").filter(has_text="Mark shipped")
    ship.get_by_label("Carrier", exact=True).fill("CJ Logistics")
    ship.get_by_label("Tracking number", exact=True).fill("CJ5550001234")
    ship.get_by_role("button", name="Mark shipped").click()
    settle(maker)
    maker.get_by_text("Marked shipped: 1. The buyers were told.").wait_for()
    maker.context.close()

    # The buyer sees the tracking, confirms delivery and reviews the product.
    go_to(page, "My orders")
    page.get_by_text("CJ5550001234").first.wait_for()
    page.get_by_role("button", name="Confirm delivery").first.click()
    settle(page)
    page.get_by_role("button", name="Write a review").first.click()
    settle(page)
    page.get_by_role("heading", name="Review your purchase").wait_for()
    review = page.get_by_test_id("stForm").filter(has_text="Post review").first
    review.get_by_label("Your review (optional)").fill("Smooth cold brew, and it arrived quickly.")
    review.get_by_role("button", name="Post review").click()
    settle(page)
    page.get_by_text("Thank you for your review!").wait_for()
    page.get_by_text("Smooth cold brew, and it arrived quickly.").first.wait_for()

    # Referrer, creator and co-creator each earned from this sale.
    after = {role: _earned(browser, app, who[role], label) for role, label in
             (("author", "As creator"), ("co_creator", "As co-creator"), ("referrer", "As referrer"))}
    for role in before:
        assert after[role] > before[role], (role, before[role], after[role])
    referrer = demo_page(browser, app.url, who["referrer"])
    go_to(referrer, "Referrals")
    assert _metric(referrer, "Conversions") == "1"
