"""Real Chromium (the system one, never `playwright install`) against `streamlit run` of the app.

Every wait is bounded. When a test fails, each open tab is saved as a screenshot, with the
server log, under test-artifacts/ (gitignored).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, sync_playwright

from tests.e2e.helpers import ARTIFACTS, LAUNCH_ARGS, WAIT_MS


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def browser(chromium: str) -> Iterator[Browser]:
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS, timeout=30_000)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def new_context(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Callable[[], BrowserContext]]:
    """Fresh browser profiles (one per "device"); every tab is screenshotted if the test fails."""
    contexts: list[BrowserContext] = []

    def make() -> BrowserContext:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(WAIT_MS)
        contexts.append(context)
        return context

    yield make
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        stem = re.sub(r"[^\w.-]+", "_", request.node.name)
        for c, context in enumerate(contexts):
            for p, page in enumerate(context.pages):
                try:
                    page.screenshot(path=str(ARTIFACTS / f"{stem}-{c}-{p}.png"), full_page=True, timeout=10_000)
                except Exception as exc:  # noqa: BLE001 - a screenshot must not hide the real failure
                    print(f"screenshot failed: {exc}")
        app = request.getfixturevalue("running_app")
        (ARTIFACTS / f"{stem}-server.log").write_text(app.log()[-20_000:])
    for context in contexts:
        context.close()


@pytest.fixture
def app_url(running_app: object) -> str:
    return running_app.url  # type: ignore[attr-defined, no-any-return]
