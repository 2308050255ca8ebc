"""In a real Chromium: a consumer submits an idea with an image, a moderator approves it,
other accounts support it to the threshold, and everyone sees it winning."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from tests.e2e.helpers import demo_page, settle
from tests.server import start_app

pytestmark = pytest.mark.e2e
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TITLE = "Pocket umbrella that fits a phone case"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = start_app(tmp_path_factory.mktemp("journey"))
    yield app
    app.stop()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 120, 200)).save(out, "PNG")
    return out.getvalue()


def test_submit_approve_support_to_winning(app, chromium, tmp_path):
    from playwright.sync_api import sync_playwright

    from lib.adapters.db.engine import make_engine
    from lib.services.accounts import auth  # noqa: F401 - the app's own services read the same SQLite file

    engine = make_engine(f"sqlite:///{app.data_dir / 'cocreate.db'}")
    with engine.begin() as conn:  # a small threshold for this category, as an admin would set it
        conn.exec_driver_sql("UPDATE categories SET support_threshold = 2 WHERE slug = 'outdoor'")
    image = tmp_path / "umbrella.png"
    image.write_bytes(png_bytes())
    page = None
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            page = demo_page(browser, app.url, "consumer")
            page.goto(f"{app.url}/submit_idea")
            settle(page)
            page.get_by_role("textbox", name="Title").fill(TITLE)
            page.get_by_role("textbox", name="One-line pitch").fill("Never forget your umbrella again.")
            page.get_by_role("combobox", name="Category").click()
            page.get_by_role("option", name="Outdoor").click()
            description = page.get_by_role("textbox", name="Description (Markdown)")
            description.fill("A **telescopic** umbrella in a phone case.")
            description.press("Control+Enter")
            settle(page)
            page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(image))
            settle(page)
            page.get_by_role("button", name="Submit for review").click()
            settle(page)
            page.get_by_text("Sent to the moderators").wait_for(timeout=15_000)

            mod = demo_page(browser, app.url, "moderator")
            mod.goto(f"{app.url}/moderation")
            settle(mod)
            card = mod.locator("[data-testid='stLayoutWrapper']").filter(has_text=TITLE).filter(
                has=mod.get_by_role("button", name="Approve")).last  # the card, not its text column
            card.get_by_role("button", name="Approve").click()
            settle(mod)
            with engine.connect() as conn:
                idea_id, status, cover = conn.exec_driver_sql(
                    "SELECT id, status, cover_image FROM ideas WHERE title = ?", (TITLE,)).one()
            assert status == "published"
            assert cover and (app.data_dir / "images" / cover[:2] / cover).exists(), "the uploaded image is stored"

            for backer in ("jiwoo", "alex"):
                fan = demo_page(browser, app.url, backer)
                fan.goto(f"{app.url}/idea?id={idea_id}")
                settle(fan)
                fan.get_by_role("button", name="Support", exact=True).click()
                settle(fan)
            fan.get_by_text("Your support made this idea win!").wait_for(timeout=15_000)

            visitor = browser.new_page()
            visitor.goto(f"{app.url}/idea?id={idea_id}")
            settle(visitor)
            visitor.get_by_text("Winning", exact=True).wait_for(timeout=15_000)
            visitor.locator("strong", has_text="telescopic").wait_for(timeout=5_000)
        except Exception:
            ARTIFACTS.mkdir(exist_ok=True)
            if page is not None:
                page.screenshot(path=str(ARTIFACTS / "journey-failure.png"), full_page=True)
            raise
        finally:
            browser.close()
            engine.dispose()
