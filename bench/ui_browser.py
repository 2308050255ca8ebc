"""Per-interaction timings in Chromium, app against the one-button baseline, interleaved; and the
server's idle cost of parked viewers.

Each scenario is prepared once (unmeasured), then yields one or more measured actions per sample;
samples alternate app-first and baseline-first. The baseline's counterpart of a page open is
opening the baseline app, of a click a click on its button. Paired actions (support / withdraw
support, next / previous page, Top / New) undo each other, so the page is the same at every sample.
Every selector the bench relies on is in SEL (Streamlit's `st-key-<key>` classes and data-testids)
or in the page's visible English text (lib/locales/en*.json).
"""

from __future__ import annotations

import json
import secrets
import statistics
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bench.feed import percentile
from bench.ui_harness import WAIT_MS, Sample, Timeout, absent, click, install, open_page, shown
from bench.ui_server import CpuWindow
from tests.e2e.helpers import DEMO_PASSWORD, sign_in, wait_loaded

SEL = {
    "heading": "[data-testid='stHeading']",
    "card_open": "[data-testid='stPageLink'] a[href*='idea?id=']",  # each card's title links to its idea
    "open_idea": "[data-testid='stPageLink'] a[href$='idea?id={id}']",
    "feed": ".st-key-discover-feed button",
    "feed_active": ".st-key-discover-feed button[aria-checked='true']",
    "next": ".st-key-discover-next button",
    "prev": ".st-key-discover-prev button",
    "support": ".st-key-FormSubmitter-idea-support_form-Support button",
    "unsupport": ".st-key-idea-unsupport button",
    "comment_body": ".st-key-idea-comment_body textarea",
    "comment_post": ".st-key-FormSubmitter-idea-comment_form-Post button",
    "markdown": "[data-testid='stMarkdownContainer']",
    "quantity": ".st-key-campaign-{id}-quantity",
    "quantity_input": ".st-key-campaign-{id}-quantity input",
    "step_up": "[data-testid='stNumberInputStepUp']",
    "step_down": "[data-testid='stNumberInputStepDown']",
    "metric": "[data-testid='stMetric']",
    "base_button": ".st-key-click button",
    "base_count": "[data-testid='stMarkdownContainer']",
}
TEXT = {"discover": "Discover ideas", "top": "Top", "new": "New", "base_button": "Click me"}
CONSUMER = "consumer@demo.cocreate.test"
IDLE_LOAD_S = 45  # at most, for all the idle tabs to show their page
IDLE_SETTLE_S = 5
Scenario = Callable[[Page, int], Iterator[tuple[str, Sample]]]


def api(url: str, path: str) -> Any:
    with urllib.request.urlopen(url + path, timeout=20) as r:
        return json.loads(r.read())


class Demo:
    """Ids and titles from the app's JSON API (demo data)."""

    def __init__(self, url: str) -> None:
        hot = api(url, "/api/ideas?feed=hot&limit=1")["items"][0]
        self.card_id, self.card_title = hot["id"], hot["title"]
        published = api(url, "/api/ideas?status=published&limit=100")["items"]
        # Support must not push an idea over its threshold (it would turn winning and stop taking support).
        roomy = sorted(published, key=lambda i: i["supporters"] - i["threshold"])
        self.support_id = roomy[0]["id"]
        self.comment_id = roomy[1]["id"]
        listings = api(url, "/api/listings?limit=100")["items"]
        static = [x for x in listings if not x["starts_at"]]
        drops = [x for x in listings if x["starts_at"]]
        self.listing_id, self.listing_title = static[0]["id"], static[0]["title"]
        drop = drops[0] if drops else static[0]
        self.drop_id, self.drop_title = drop["id"], drop["title"]
        self.campaign_id = 1  # the demo's first open campaign


class AppScenarios:
    """The app's interactions, signed in as the demo consumer."""

    def __init__(self, url: str, demo: Demo) -> None:
        self.url, self.demo = url, demo

    def discover_conds(self) -> list[dict[str, Any]]:
        return [shown(SEL["heading"], TEXT["discover"]), shown(SEL["card_open"])]

    def open_discover(self, page: Page, i: int) -> Iterator[tuple[str, Sample]]:
        yield "open_discover", open_page(page, self.url + "/", self.discover_conds())

    def switch_feed(self, page: Page, i: int) -> Iterator[tuple[str, Sample]]:
        active = page.locator(SEL["feed_active"]).inner_text().strip()
        target = TEXT["new"] if active == TEXT["top"] else TEXT["top"]
        button = page.locator(SEL["feed"]).filter(has_text=target)
        yield "switch_feed", click(page, button, [shown(SEL["feed_active"], target, exact=True)])

    def pages(self, page: Page, i: int) -> Iterator[tuple[str, Sample]]:
        yield "next_page", click(page, page.locator(SEL["next"]), [shown(SEL["prev"])])
        yield "previous_page", click(page, page.locator(SEL["prev"]), [absent(SEL["prev"]), shown(SEL["next"])])

    def open_idea(self, page: Page, i: int) -> Iterator[tuple[str, Sample]]:
        if page.locator(SEL["open_idea"].format(id=self.demo.card_id)).count() == 0:
            page.goto(self.url + "/")
            wait_loaded(page)
        button = page.locator(SEL["open_idea"].format(id=self.demo.card_id))
        yield "open_idea", click(page, button, [shown(SEL["heading"], self.demo.card_title)])
        page.goto(self.url + "/")  # back to Discover for the next sample (unmeasured)
        wait_loaded(page)

    def support(self, page: Page, i: int) -> Iterator[tuple[str, Sample]]:
        yield "support", click(page, page.locator(SEL["support"]), [shown(SEL["unsupport"])])
        yield "withdraw_support", click(page, page.locator(SEL["unsupport"]), [shown(SEL["support"])])

    def comment(self, page: Page, i: int) -> Iterator[tuple[str, Sample]]:
        body = f"Bench comment {i} {secrets.token_hex(3)}"
        page.locator(SEL["comment_body"]).fill(body)
        yield "comment", click(page, page.locator(SEL["comment_post"]), [shown(SEL["markdown"], body)])

    def preorder_step(self, page: Page, i: int) -> Iterator[tuple[str, Sample]]:
        box = SEL["quantity"].format(id=self.demo.campaign_id)
        value = int(page.locator(SEL["quantity_input"].format(id=self.demo.campaign_id)).input_value())
        step, new = ("step_up", value + 1) if i % 2 == 0 else ("step_down", value - 1)
        target = page.locator(f"{box} {SEL[step]}")
        cond = shown(SEL["quantity_input"].format(id=self.demo.campaign_id), value=str(new))
        yield "preorder_step", click(page, target, [cond], need_run=False)

    def open_listing(self, page: Page, i: int) -> Iterator[tuple[str, Sample]]:
        conds = [shown(SEL["heading"], self.demo.listing_title), shown(SEL["metric"], "Price")]
        yield "open_listing", open_page(page, f"{self.url}/listing?id={self.demo.listing_id}", conds)

    def to_page(self, path: str) -> Callable[[Page], None]:
        def setup(page: Page) -> None:
            page.goto(self.url + path)
            wait_loaded(page)
            if page.locator(SEL["unsupport"]).count():  # the support scenario starts from "not supported"
                click(page, page.locator(SEL["unsupport"]), [shown(SEL["support"])])
        return setup

    def to_new_feed(self, page: Page) -> None:
        """Discover on the New feed: Next exists on feeds with more than a page of ideas (not Hot)."""
        self.to_page("/")(page)
        while page.locator(SEL["feed_active"]).inner_text().strip() != TEXT["new"]:
            next(self.switch_feed(page, 0))

    def all(self) -> list[tuple[str, Callable[[Page], None] | None, Scenario]]:
        """(kind of baseline action, unmeasured setup, scenario)."""
        d, to = self.demo, self.to_page
        return [("open", to("/"), self.open_discover), ("click", to("/"), self.switch_feed),
                ("click", self.to_new_feed, self.pages), ("click", to("/"), self.open_idea),
                ("click", to(f"/idea?id={d.support_id}"), self.support),
                ("click", to(f"/idea?id={d.comment_id}"), self.comment),
                ("click", to(f"/campaign?id={d.campaign_id}"), self.preorder_step),
                ("open", None, self.open_listing)]


def baseline_sample(page: Page, url: str, kind: str) -> Sample:
    if kind == "open":
        return open_page(page, url + "/", [shown(SEL["base_button"], TEXT["base_button"])])
    count = int(page.locator(SEL["base_count"]).filter(has_text="Clicks:").inner_text().split(":")[1])
    return click(page, page.locator(SEL["base_button"]),
                 [shown(SEL["base_count"], f"Clicks: {count + 1}", exact=True)])


def _row(name: str, app: list[Sample], base: list[Sample]) -> dict[str, Any]:
    a, b = [s.ms for s in app], [s.ms for s in base]
    row = {"name": name, "app_p50_ms": round(statistics.median(a), 1), "app_p95_ms": round(percentile(a, 0.95), 1),
           "baseline_p50_ms": round(statistics.median(b), 1), "baseline_p95_ms": round(percentile(b, 0.95), 1)}
    row["ratio"] = round(row["app_p50_ms"] / row["baseline_p50_ms"], 2) if row["baseline_p50_ms"] else None
    row.update({"n": len(a), "app_runs": statistics.median(s.runs for s in app),
                "app_shown_p50_ms": round(statistics.median(s.shown_ms for s in app), 1)})
    return row


def run_interactions(browser: Browser, app_url: str, base_url: str, samples: int, emit: Callable[[dict], None]) -> None:
    demo = Demo(app_url)
    app_ctx = browser.new_context(viewport={"width": 1280, "height": 1100})
    base_ctx = browser.new_context(viewport={"width": 1280, "height": 1100})
    try:
        app_page, base_page = app_ctx.new_page(), base_ctx.new_page()
        install(app_page)
        install(base_page)
        sign_in(app_page, app_url, CONSUMER, DEMO_PASSWORD)
        base_page.goto(base_url + "/")
        base_page.locator(SEL["base_button"]).wait_for()
        for kind, setup, scenario in AppScenarios(app_url, demo).all():
            name = scenario.__name__
            app_s: dict[str, list[Sample]] = {}
            base_s: dict[str, list[Sample]] = {}
            try:
                if setup is not None:
                    setup(app_page)
                for i in range(samples + 1):  # the first round warms up and is not counted
                    for side in (("app", "base") if i % 2 == 0 else ("base", "app")):
                        if side == "app":
                            for action, sample in scenario(app_page, i):
                                app_s.setdefault(action, []).append(sample)
                        else:
                            for action in app_s or [name]:
                                base_s.setdefault(action, []).append(baseline_sample(base_page, base_url, kind))
                for action, got in app_s.items():
                    emit(_row(action, got[1:], base_s[action][1:]))
            except (Timeout, PlaywrightError) as exc:
                emit({"name": name, "error": str(exc)[:500]})
                app_page.goto(app_url + "/")
    finally:
        app_ctx.close()
        base_ctx.close()


class HealthProbe:
    """How fast the server answers /_stcore/health every 2 s meanwhile (a busy server answers late)."""

    def __init__(self, url: str) -> None:
        self.url, self.ms = url, []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.wait(2):
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=10) as r:
                    r.read()
            except OSError:
                pass  # a timeout counts as its 10 s
            self.ms.append((time.perf_counter() - started) * 1000)

    def __enter__(self) -> HealthProbe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=15)

    def stats(self) -> dict[str, float]:
        if not self.ms:
            return {}
        return {"health_p50_ms": round(statistics.median(self.ms), 1), "health_max_ms": round(max(self.ms), 1)}


def run_idle(browser: Browser, app_url: str, pid: int, viewers: int, seconds: float,
             emit: Callable[[dict], None]) -> None:
    """`viewers` tabs parked on a listing with a live drop, then as many on Discover (static):
    the streamlit server's CPU over `seconds` with each set open (Chromium's own CPU not counted).
    The tabs open all at once and count as loaded when their page's heading shows (`loaded`, within
    IDLE_LOAD_S): with a live drop the server may be busy all the time, so no tab would ever see it
    idle. `health_*_ms`: how long /_stcore/health took meanwhile."""
    demo = Demo(app_url)
    cpu: dict[str, float] = {}
    loaded_of: dict[str, int] = {}
    pages = (("live_drop", f"/listing?id={demo.drop_id}", demo.drop_title), ("static", "/", TEXT["discover"]))
    for label, path, heading in pages:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            tabs = [context.new_page() for _ in range(viewers)]
            for tab in tabs:  # all at once: a busy server may never look idle to any one tab
                tab.goto(app_url + path, wait_until="commit", timeout=WAIT_MS)
            deadline = time.monotonic() + IDLE_LOAD_S
            loaded = 0
            for tab in tabs:
                left_ms = max(100, int((deadline - time.monotonic()) * 1000))
                try:
                    tab.locator(SEL["heading"]).filter(has_text=heading).wait_for(timeout=left_ms)
                    loaded += 1
                except PlaywrightTimeout:
                    pass
            loaded_of[label] = loaded
            time.sleep(IDLE_SETTLE_S)  # let the last first runs finish
            with HealthProbe(app_url) as health, CpuWindow(pid) as window:
                time.sleep(seconds)
            cpu[label] = window.pct
            emit({"name": f"idle_{label}", "path": path, "viewers": viewers, "loaded": loaded,
                  "window_s": round(window.wall_s, 1), "server_cpu_pct": window.pct, **health.stats()})
        finally:
            context.close()
        time.sleep(2)
    ratio = round(cpu["live_drop"] / cpu["static"], 1) if cpu.get("static") else None
    emit({"name": "idle_viewers", "viewers": viewers, "live_drop_cpu_pct": cpu["live_drop"],
          "static_cpu_pct": cpu["static"], "ratio": ratio, "live_drop_loaded": loaded_of["live_drop"]})
