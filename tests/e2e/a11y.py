"""What the accessibility walk needs in the page: axe-core, in-app navigation, the Latin words left
in a Korean screen."""

from __future__ import annotations

import re
import sqlite3
from contextlib import suppress
from functools import cache
from pathlib import Path

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.conftest import unavailable
from tests.e2e.helpers import APP_IDLE, WAIT_MS, settle
from tests.server import ROOT

AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")
SHELL_LANGUAGE_LABEL = "Language / 언어"  # the language switch is labelled in both languages on purpose


@cache
def axe_source() -> str:
    if not AXE_JS.exists():
        unavailable(f"axe-core is not installed at {AXE_JS} (npm ci)")
    return AXE_JS.read_text(encoding="utf-8")


def visit(page: Page, address: str) -> None:
    """Open a screen inside the running app (no reload: same session, same language), the way
    Streamlit follows the browser's back button, and wait for the run that draws it."""
    page.wait_for_selector(APP_IDLE, timeout=WAIT_MS)
    page.evaluate("""(address) => {
      const app = document.querySelector("[data-testid='stApp']");
      window.__ccRan = false;
      const seen = new MutationObserver(() => {
        if (app.dataset.testScriptState === "running") { window.__ccRan = true; seen.disconnect(); }
      });
      seen.observe(app, { attributes: true, attributeFilter: ["data-test-script-state"] });
      history.pushState({}, "", address);
    }""", address)
    for _ in range(4):  # a history event that lands while the app is busy may be dropped: send it again
        page.evaluate("""() => window.dispatchEvent(new PopStateEvent("popstate"))""")
        try:
            page.wait_for_function("() => window.__ccRan", timeout=WAIT_MS // 4)
            break
        except PlaywrightTimeout:
            continue
    else:
        raise AssertionError(f"the app never opened {address}")
    settle(page)
    drawn(page)


def drawn(page: Page) -> None:
    """Wait until no element is faded as stale from the last run, and the fade-in is over: axe
    measures colours as they are painted."""
    page.wait_for_function("""() => !document.querySelector("[data-stale='true']") &&
      document.getAnimations().every(a => a.playState !== "running" || a.effect.getTiming().iterations === Infinity)""",
                           timeout=WAIT_MS)


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as drawn, one line per rule with the
    elements it names."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated, not added as a <script>: the app's Content-Security-Policy forbids inline scripts.
        page.evaluate(axe_source() + "\n;true")
    found = page.evaluate("""async (serious) => {
      const result = await axe.run(document, { resultTypes: ["violations"] });
      return result.violations.filter(v => serious.includes(v.impact)).map(v =>
        `${v.impact} ${v.id} (${v.nodes.length}): ${v.help}\\n      ` + v.nodes.slice(0, 5).map(n =>
          n.target.join(" ") + " :: " + ((n.any[0] || n.all[0] || n.none[0] || {}).message || "")
            + " :: " + n.html.slice(0, 160)).join("\\n      "));
    }""", list(SERIOUS))
    return [str(line) for line in found]


CHARTS = ("[data-testid='stVegaLiteChart'], [data-testid='stArrowVegaLiteChart'], [data-testid='stPlotlyChart'],"
          " [data-testid='stDeckGlJsonChart'], [data-testid='stGraphVizChart']")


def charts_without_text(page: Page) -> list[str]:
    """Charts drawn on the page that offer no text alternative to a screen reader (the chart library
    names its drawing a moment after it draws: give it that moment)."""
    unlabelled = """(charts) => [...document.querySelectorAll(charts)].filter(chart =>
      !(chart.getAttribute("aria-label") || chart.querySelector("[role='graphics-document'][aria-label]")))
      .map(chart => chart.dataset.testid)"""
    with suppress(PlaywrightTimeout):
        page.wait_for_function(f"(charts) => ({unlabelled})(charts).length === 0", arg=CHARTS, timeout=15_000)
    return [str(c) for c in page.evaluate(unlabelled, CHARTS)]


# Words a Korean reader may meet in Latin script: the product and brands, currency codes and symbols
# ("US$25.00" is how Korean writes US dollars) and the demo's own people and content (from the database).
NAMES = {"cocreate", "stripe", "supabase", "usd", "us", "krw", "csv", "json", "url", "id", "mb", "jpg", "jpeg",
         "png", "webp", "heic", "ok", "markdown", "sms", "smtp", "qr", "utc"}
_ADDRESS = re.compile(r"\S+@\S+|https?://\S+|\b[\w.-]+\.(?:test|com|org|net)\b|/[\w/?=&.-]+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")


# What the app itself writes (notices, logs, states) is interface, not user content.
SYSTEM_TABLES = {"notifications", "outbox", "audit_log", "settings", "job_runs", "job_locks", "alembic_version",
                 "webhook_events", "request_keys", "request_throttles", "auth_sessions", "email_tokens"}
SYSTEM_COLUMNS = {"status", "kind", "action", "role", "event", "type", "state", "reason", "currency"}


@cache
def user_content_words(db_file: Path) -> frozenset[str]:
    """Every Latin word stored in the app's database: names, titles, descriptions, comments, codes.
    What people wrote stays as they wrote it; only the interface must be Korean."""
    words: set[str] = set()
    with sqlite3.connect(f"file:{db_file}?mode=ro", uri=True) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in set(tables) - SYSTEM_TABLES:
            columns = [row[1] for row in db.execute(f'PRAGMA table_info("{table}")')
                       if ("CHAR" in str(row[2]).upper() or "TEXT" in str(row[2]).upper())
                       and row[1] not in SYSTEM_COLUMNS]
            for column in columns:
                for (value,) in db.execute(f'SELECT DISTINCT "{column}" FROM "{table}"'):
                    if isinstance(value, str):
                        words.update(w.lower() for w in _WORD.findall(value))
    return frozenset(words)


def latin_words(text: str, allowed: frozenset[str]) -> list[str]:
    """The Latin-script words of a screen's text that are neither a name, a code nor user content."""
    text = _ADDRESS.sub(" ", text)
    return sorted({w for w in _WORD.findall(text) if w.lower() not in allowed and w.lower() not in NAMES})


def screen_text(page: Page) -> str:
    """What a reader meets: the visible text of the main area and the sidebar and the inputs'
    placeholders, without icon ligatures (":material/rocket:" is drawn from the text "rocket")."""
    text = page.evaluate("""() => {
      const parts = [];
      for (const id of ["stMain", "stSidebar"]) {
        const area = document.querySelector(`[data-testid='${id}']`);
        if (!area) continue;
        const walker = document.createTreeWalker(area, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const parent = node.parentElement;
          if (!parent || parent.closest("[data-testid='stIconMaterial'], [translate='no'], style, script"))
            continue;
          if (!parent.checkVisibility() || parseFloat(getComputedStyle(parent).fontSize) === 0) continue;
          parts.push(node.textContent);
        }
        area.querySelectorAll("input[placeholder], textarea[placeholder]")  // shown while empty
          .forEach(i => { if (!i.value) parts.push(i.placeholder); });
      }
      return parts.join("\\n");
    }""")
    return str(text).replace(SHELL_LANGUAGE_LABEL, " ")
