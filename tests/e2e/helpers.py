"""Bounded waits and small journeys shared by the browser tests."""

from __future__ import annotations

import re
import secrets
import time
from typing import Any

from playwright.sync_api import BrowserContext, Page

from tests.server import ROOT

ARTIFACTS = ROOT / "test-artifacts"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
APP_IDLE = "[data-testid='stApp'][data-test-connection-state='CONNECTED'][data-test-script-state='notRunning']"
SHELL_MARK = "Language / 언어"  # the shell's language switch: drawn on every run of streamlit_app.py
NAV = ".st-key-cc-nav"  # our own navigation in the sidebar (lib/ui/nav.py: sidebar)
WAIT_MS = 20_000
PASSWORD = "long-enough-pw"


def settle(page: Page) -> None:
    """Wait for the script run an action started to finish (Streamlit's own suite does the same)."""
    time.sleep(0.3)
    page.wait_for_selector(APP_IDLE, timeout=WAIT_MS)


def count_script_runs(page: Page) -> None:
    """From here on, count the page's script runs and fragment reruns (each flips the app's script
    state to "running"); script_runs(page) reads the count. A run shorter than the page's render may
    never show "running": the count is a floor, good for "at most one run per click"."""
    page.evaluate("""() => {
      window.__ccRuns = 0;
      const app = document.querySelector("[data-testid='stApp']");
      new MutationObserver(() => { if (app.dataset.testScriptState === "running") window.__ccRuns += 1; })
        .observe(app, { attributes: true, attributeFilter: ["data-test-script-state"] });
    }""")


def script_runs(page: Page) -> int:
    return int(page.evaluate("window.__ccRuns"))


def open_app(page: Page, url: str) -> None:
    """Load (or reload) a URL and wait until the app's shell has drawn the page."""
    page.goto(url, timeout=WAIT_MS)
    wait_loaded(page)


def reload(page: Page) -> None:
    page.reload(timeout=WAIT_MS)
    wait_loaded(page)


def wait_loaded(page: Page) -> None:
    # On a fresh load the idle marker is there before the first run starts: wait for the shell too.
    page.get_by_text(SHELL_MARK).wait_for(timeout=WAIT_MS)
    settle(page)


def sidebar(page: Page) -> str:
    return page.get_by_test_id("stSidebar").inner_text(timeout=WAIT_MS)


def signed_in_name(page: Page) -> str | None:
    found = re.search(r"Signed in as (.+)", sidebar(page))
    return found.group(1).strip() if found else None


def session_cookie(context: BrowserContext, name: str = "cocreate_session") -> dict | None:  # type: ignore[type-arg]
    return next((c for c in context.cookies() if c["name"] == name), None)


def wait_for_cookie(context: BrowserContext, present: bool, seconds: float = 10, name: str = "cocreate_session",
                    value: str | None = None) -> None:
    """A cookie follows a sign-in, sign-out or language choice a moment later (the page posts to
    /auth/... or /prefs/...)."""
    deadline = time.monotonic() + seconds
    while ((cookie := session_cookie(context, name)) is not None and value in (None, cookie["value"])) != present:
        if time.monotonic() > deadline:
            raise AssertionError(f"{name} cookie {'never set' if present else 'never cleared'}")
        time.sleep(0.1)


def unique_email() -> str:
    return f"e2e-{secrets.token_hex(5)}@example.com"


def sign_up(page: Page, app_url: str, email: str, name: str) -> None:
    open_app(page, app_url)
    page.locator(NAV).get_by_role("link", name="Sign up").click()
    settle(page)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Display name").fill(name)
    page.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
    page.get_by_role("textbox", name="Password again").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    settle(page)
    page.get_by_text(f"Welcome to Cocreate, {name}").wait_for(timeout=WAIT_MS)  # back where it started
    wait_for_cookie(page.context, present=True)
    settle(page)


def sign_in(page: Page, app_url: str, email: str, password: str = PASSWORD) -> None:
    open_app(page, app_url)
    page.locator(NAV).get_by_role("link", name="Sign in").click()
    settle(page)
    page.get_by_label("E-mail").fill(email)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    settle(page)
    page.get_by_role("heading", name="Discover ideas").wait_for(timeout=WAIT_MS)
    wait_for_cookie(page.context, present=True)
    settle(page)


def go_to(page: Page, link: str) -> None:
    page.locator(NAV).get_by_role("link", name=link).click()
    settle(page)


DEMO_PASSWORD = "cocreate-demo"


def demo_page(browser: Any, app_url: str, handle: str) -> Page:
    """A fresh browser context signed in as a demo account (cookie set), on the home page."""
    page = browser.new_context(viewport={"width": 1280, "height": 1100}).new_page()
    sign_in(page, app_url, f"{handle}@demo.cocreate.test", DEMO_PASSWORD)
    return page
