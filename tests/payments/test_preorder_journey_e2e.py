"""In a real Chromium against Stripe's API as localstripe serves it: a verified maker quotes on a
winning idea, the author agrees, a moderator opens a capped campaign, a consumer pre-orders with
a test card typed into the Stripe.js form, the cap sells out, settlement charges it, the consumer
sees the charge and the maker sees the order."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.helpers import demo_page, settle
from tests.payments.conftest import PUBLISHABLE_KEY, SECRET_KEY, WEBHOOK_SECRET
from tests.server import ROOT, start_app

pytestmark = pytest.mark.e2e
ARTIFACTS = ROOT / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
IDEA = "Glow-in-the-dark light switch cover"  # the demo's third winning idea: no quote yet


@pytest.fixture(scope="module")
def stripe_app(tmp_path_factory, localstripe):
    env = {"STRIPE_SECRET_KEY": SECRET_KEY, "STRIPE_PUBLISHABLE_KEY": PUBLISHABLE_KEY,
           "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET, "STRIPE_API_BASE": localstripe.url,
           "STRIPE_JS_URL": localstripe.url + "/js.stripe.com/v3/"}
    app = start_app(tmp_path_factory.mktemp("stripe-journey"), env)
    localstripe.register_webhook("cocreate_e2e", f"{app.url}/webhooks/stripe", WEBHOOK_SECRET)
    yield app, env
    app.stop()


def card(page, base_selector: str = "[data-testid='cc-card-element']") -> None:
    element = page.locator(base_selector)
    element.locator("input[placeholder='number']").wait_for(timeout=20_000)
    for field, value in (("number", "4242424242424242"), ("exp_month", "12"), ("exp_year", "34"),
                         ("cvc", "123"), ("postal_code", "04524")):
        element.locator(f"input[placeholder='{field}']").fill(value)


def run_jobs(app, env) -> str:
    run_env = {k: v for k, v in os.environ.items() if not k.startswith(("COCREATE_", "DATABASE_URL", "STRIPE_"))}
    run_env.update(env | {"COCREATE_DATA_DIR": str(app.data_dir)})
    done = subprocess.run([sys.executable, "-m", "lib.cli", "run-jobs"], cwd=ROOT, env=run_env, capture_output=True,
                          text=True, timeout=120, check=True)
    return done.stdout


def test_quote_open_preorder_with_stripe_js_settle(stripe_app, chromium, localstripe):
    from playwright.sync_api import sync_playwright

    app, env = stripe_app
    base = app.url
    pages: list = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            maker = demo_page(browser, base, "maker")
            pages.append(maker)
            maker.goto(f"{base}/maker")
            settle(maker)
            assert maker.locator("strong", has_text=IDEA).first.is_visible()  # the most supported comes first
            block = maker.locator("[data-testid='stExpander']").filter(has_text="Quote on this idea").first
            block.get_by_text("Quote on this idea").click()
            settle(maker)
            block.get_by_role("textbox", name="Unit cost").fill("10.00")
            block.get_by_role("spinbutton", name="Minimum order quantity (units)").fill("1")
            block.get_by_role("spinbutton", name="Lead time (days)").fill("14")
            block.get_by_role("button", name="Send quote").click()
            settle(maker)

            from lib.services.demo.content import IDEAS

            author_handle = next(a for t, _p, _c, _s, _n, a, _d in IDEAS if t == IDEA).lower()
            author = demo_page(browser, base, author_handle)
            pages.append(author)
            idea_id = _idea_id(app, IDEA)
            author.goto(f"{base}/idea?id={idea_id}")
            settle(author)
            author.get_by_role("button", name="I agree to this quote").first.click()
            settle(author)

            mod = demo_page(browser, base, "moderator")
            pages.append(mod)
            mod.goto(f"{base}/moderation")
            settle(mod)
            mod.get_by_role("tab", name="Campaigns").click()
            settle(mod)
            card_block = mod.locator("[data-testid='stLayoutWrapper']").filter(has_text=IDEA).filter(
                has=mod.locator("[data-testid='stForm']")).last
            form = card_block.locator("[data-testid='stForm']").first
            form.get_by_role("spinbutton").nth(1).fill("1")  # days, then the cap
            form.get_by_role("button", name="Open campaign").click()
            settle(mod)
            campaign_id = _campaign_id(app, idea_id)

            buyer = demo_page(browser, base, "consumer")
            pages.append(buyer)
            buyer.goto(f"{base}/campaign?id={campaign_id}")
            settle(buyer)
            for label, value in (("Recipient name", "Casey Consumer"), ("Address", "1 Sample Street"),
                                 ("City", "Seoul"), ("Postal code", "04524"), ("Country", "KR")):
                buyer.get_by_role("textbox", name=label, exact=True).fill(value)
            buyer.get_by_role("button", name="Continue to the card").click()
            settle(buyer)
            card(buyer)
            buyer.get_by_role("button", name="Save card and pre-order").click()
            buyer.get_by_text("You pre-ordered").wait_for(timeout=30_000)

            report = run_jobs(app, env)
            assert '"campaigns_settled": 1' in report, report
            buyer.goto(f"{base}/my_preorders")
            settle(buyer)
            # the demo buyer has older paid pre-orders too: the newest (listed first) is this one
            buyer.get_by_text(re.compile(r"· Paid · 1 unit ·.*Visa •••• 4242")).first.wait_for(timeout=15_000)

            maker.goto(f"{base}/maker")
            settle(maker)
            maker.get_by_role("tab", name="My campaigns").click()
            settle(maker)
            # The orders table is a canvas grid; its cells are in the DOM for accessibility.
            maker.locator("[role=gridcell]", has_text="Casey Consumer, 1 Sample Street").first.wait_for(
                state="attached", timeout=15_000)
        except Exception:
            ARTIFACTS.mkdir(exist_ok=True)
            for n, page in enumerate(pages):
                page.screenshot(path=str(ARTIFACTS / f"stripe-journey-{n}.png"), full_page=True)
            raise
        finally:
            browser.close()
    intents = localstripe.get("/v1/payment_intents")["data"]
    assert [(i["status"], i["amount"]) for i in intents if i["status"] == "succeeded"], intents


def _idea_id(app, title: str) -> int:
    import sqlite3

    with sqlite3.connect(Path(app.data_dir) / "cocreate.db") as db:
        return int(db.execute("SELECT id FROM ideas WHERE title = ?", (title,)).fetchone()[0])


def _campaign_id(app, idea_id: int) -> int:
    import sqlite3

    with sqlite3.connect(Path(app.data_dir) / "cocreate.db") as db:
        row = db.execute("SELECT id FROM campaigns WHERE idea_id = ?", (idea_id,)).fetchone()
    assert row, "the moderator's Open campaign did not create a campaign"
    return int(row[0])


def _signed(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    import hashlib
    import hmac

    timestamp = timestamp or int(time.time())
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def test_webhook_route_verifies_signatures_and_processes_each_event_once(stripe_app):
    import json
    import urllib.error
    import urllib.request

    app, _env = stripe_app
    event = {"id": "evt_route_test_1", "object": "event", "type": "payment_intent.succeeded",
             "data": {"object": {"id": "pi_not_ours", "object": "payment_intent", "metadata": {}}}}
    payload = json.dumps(event).encode()

    def post(signature: str) -> tuple[int, dict]:
        request = urllib.request.Request(f"{app.url}/webhooks/stripe", data=payload, method="POST",
                                         headers={"Stripe-Signature": signature, "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as reply:
                return reply.status, json.loads(reply.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")

    assert post(_signed(payload, "whsec_wrong"))[0] == 400
    assert post("t=1,v1=deadbeef")[0] == 400
    assert post(_signed(payload, WEBHOOK_SECRET)) == (200, {"status": "processed"})  # unknown payment: logged
    assert post(_signed(payload, WEBHOOK_SECRET)) == (200, {"status": "duplicate"})  # a replay changes nothing
