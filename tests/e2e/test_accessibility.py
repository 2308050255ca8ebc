"""Every screen of every role, in English and Korean, in real Chromium: no serious or critical axe-core
violation, every chart with a text alternative, and no English left in the Korean interface.

One server for the module, one browser, one context per role; screens are opened inside the app
(as the back button does), so a walk costs one script run per screen, not a page load."""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from lib.i18n import translate
from lib.services.routes import Screen, href
from tests.e2e.a11y import charts_without_text, latin_words, screen_text, serious_violations, user_content_words, visit
from tests.e2e.helpers import DEMO_PASSWORD, WAIT_MS, open_app, settle, wait_for_cookie
from tests.server import RunningApp, start_app

pytestmark = pytest.mark.e2e
S = Screen
OBJECT_SCREENS = (S.IDEA, S.CAMPAIGN, S.LISTING)  # their controls depend on who looks
# Each role's screens that the role before it does not have, plus the object screens whose controls
# change for that role.
WALK: dict[str, tuple[Screen, ...]] = {
    "visitor": (S.DISCOVER, S.CAMPAIGNS, S.SHOP, *OBJECT_SCREENS, S.SIGN_IN, S.SIGN_UP, S.VERIFY_EMAIL,
                S.RESET_PASSWORD),
    "consumer": (S.DISCOVER, S.SUBMIT_IDEA, S.MY_IDEAS, S.MAKER, S.MY_PREORDERS, S.MY_ORDERS, S.EARNINGS,
                 S.REFERRALS, S.INBOX, S.ACCOUNT, *OBJECT_SCREENS),
    "maker": (S.MAKER, S.MAKER_ORDERS, S.CAMPAIGN),
    "moderator": (S.MODERATION, S.AUDIT_LOG, *OBJECT_SCREENS),
    "admin": (S.ADMIN_SETTINGS, S.ADMIN_USERS, S.ADMIN_PAYOUTS, S.ADMIN_OUTBOX),  # its object screens: the moderator's
}
LANGUAGES = {"en": "English", "ko": "한국어"}
KO = lambda key, **params: translate("ko", key, **params)  # noqa: E731


@pytest.fixture(scope="module")
def a11y_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    """Its own server: the walk switches the demo accounts to Korean."""
    app = start_app(tmp_path_factory.mktemp("a11y-app"))
    yield app
    app.stop()


def _ids(app: RunningApp) -> dict[Screen, int]:
    """The demo objects the walk opens: an idea that draws a demand chart, a campaign, a listing."""
    with sqlite3.connect(f"file:{app.data_dir / 'cocreate.db'}?mode=ro", uri=True) as db:
        idea = db.execute("SELECT idea_id FROM supports WHERE intent_quantity IS NOT NULL "
                          "GROUP BY idea_id ORDER BY COUNT(*) DESC LIMIT 1").fetchone()
        campaign = db.execute("SELECT id FROM campaigns ORDER BY id LIMIT 1").fetchone()
        listing = db.execute("SELECT listing_id FROM reviews ORDER BY listing_id LIMIT 1").fetchone()
    return {S.IDEA: idea[0], S.CAMPAIGN: campaign[0], S.LISTING: listing[0]}


def _sign_in(page: Page, app: RunningApp, handle: str) -> None:
    open_app(page, f"{app.url}/sign_in")
    page.get_by_label("E-mail").fill(f"{handle}@demo.cocreate.test")
    page.get_by_role("textbox", name="Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    wait_for_cookie(page.context, present=True, seconds=WAIT_MS / 1000)
    settle(page)


def choose_language(page: Page, lang: str) -> None:
    box = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Language / 언어")
    if box.input_value(timeout=WAIT_MS) == LANGUAGES[lang]:
        return
    box.click()
    page.get_by_role("option", name=LANGUAGES[lang]).click()
    settle(page)
    expect(box).to_have_value(LANGUAGES[lang], timeout=WAIT_MS)


def test_every_screen_of_every_role_passes_axe_and_speaks_korean_in_korean(a11y_app: RunningApp,
                                                                             browser: Browser) -> None:
    assert {s for screens in WALK.values() for s in screens} == set(Screen), "a screen is left out of the walk"
    ids = _ids(a11y_app)
    allowed = user_content_words(a11y_app.data_dir / "cocreate.db")
    problems: list[str] = []
    started = time.monotonic()
    for role, screens in WALK.items():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(WAIT_MS)
        page = context.new_page()
        if role == "visitor":
            open_app(page, a11y_app.url)
        else:
            _sign_in(page, a11y_app, role)
        for lang in LANGUAGES:
            visit(page, href(S.DISCOVER))  # switched on a page with a category box (it kept English once)
            choose_language(page, lang)
            for screen in screens:
                address = href(screen, id=ids[screen]) if screen in ids else href(screen)
                visit(page, address)
                where = f"{role} {lang} {address}"
                problems += [f"{where}: {v}" for v in serious_violations(page)]
                problems += [f"{where}: a chart without a text alternative ({c})" for c in charts_without_text(page)]
                if lang == "ko":
                    english = latin_words(screen_text(page), allowed)
                    if english:
                        problems.append(f"{where}: English in the Korean interface: {', '.join(english)}")
        context.close()
    print(f"accessibility walk: {time.monotonic() - started:.0f} s")
    assert not problems, "\n".join(problems)


def _focused(page: Page) -> dict[str, str]:
    return page.evaluate("""() => { const e = document.activeElement;
      const label = e.getAttribute("aria-label") || (e.labels && e.labels[0] ? e.labels[0].innerText : "")
        || e.innerText || e.placeholder || "";
      return { name: label.trim(), tag: e.tagName, visible: String(e.matches(":focus-visible")) }; }""")


def tab_to(page: Page, name: str, most: int = 60) -> None:
    """Press Tab until the control called `name` has the focus, and see that the focus shows."""
    seen = []
    for _ in range(most):
        page.keyboard.press("Tab")
        focused = _focused(page)
        seen.append(f"{focused['tag']}:{focused['name'][:30]}")
        if focused["name"].startswith(name):
            assert focused["visible"] == "true", f"{name}: the focus is not visible ({focused})"
            return
    raise AssertionError(f"{name!r} cannot be reached with Tab; the focus went to {seen}")


def _unsupported_idea(app: RunningApp, email: str) -> int:
    with sqlite3.connect(f"file:{app.data_dir / 'cocreate.db'}?mode=ro", uri=True) as db:
        (person,) = db.execute("SELECT id FROM users WHERE email = ?", (email,)).fetchone()
        (idea,) = db.execute("SELECT id FROM ideas WHERE status = 'published' AND author_id != ? AND id NOT IN "
                             "(SELECT idea_id FROM supports WHERE user_id = ?) ORDER BY id",
                             (person, person)).fetchone()
    return int(idea)


def test_submit_support_and_preorder_with_the_keyboard_alone(a11y_app: RunningApp, browser: Browser) -> None:
    """maker2 (a Korean reader in the demo, not walked above) pre-orders on the other maker's campaign."""
    email = "maker2@demo.cocreate.test"
    ids = {**_ids(a11y_app), S.IDEA: _unsupported_idea(a11y_app, email)}
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    open_app(page, f"{a11y_app.url}/sign_in")
    tab_to(page, "E-mail")
    page.keyboard.type(email)
    tab_to(page, "Password")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    wait_for_cookie(page.context, present=True, seconds=WAIT_MS / 1000)
    settle(page)

    visit(page, href(S.SUBMIT_IDEA))
    tab_to(page, KO("field.title"))
    page.keyboard.type("A lamp that follows the sun")
    tab_to(page, KO("field.pitch"))
    page.keyboard.type("Light where you read, all afternoon.")
    tab_to(page, KO("field.category"))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    settle(page)
    tab_to(page, KO("field.description"))
    page.keyboard.type("It turns slowly with the window's light.")
    tab_to(page, KO("submit.submit"))
    page.keyboard.press("Enter")
    page.get_by_text(KO("submit.submitted")).wait_for(timeout=WAIT_MS)

    visit(page, href(S.IDEA, id=ids[S.IDEA]))
    tab_to(page, KO("idea.support"))
    page.keyboard.press("Space")
    page.get_by_text(KO("idea.supported")).wait_for(timeout=WAIT_MS)

    visit(page, href(S.CAMPAIGN, id=ids[S.CAMPAIGN]))
    for key, typed in (("address.name", "Kim Keyboard"), ("address.line1", "1 Tab Street"), ("address.city", "Seoul"),
                       ("address.postal_code", "04524"), ("address.country", "KR"),
                       ("card.test_number", "4242 4242 4242 4242")):
        tab_to(page, KO(key))
        page.keyboard.type(typed)
    tab_to(page, KO("campaign.place_preorder"))
    page.keyboard.press("Enter")
    done = max(re.split(r"\{\w+\}", KO("campaign.preordered")), key=len).strip()  # the words around the numbers
    page.get_by_text(done).first.wait_for(timeout=WAIT_MS)
    context.close()
