"""Timing what a user feels in Chromium: from an action until the run it caused has finished and
the page shows its result.

An init script (in every document, before the app's own code) records, with performance.now():
- the page's last mousedown (capture phase: the moment a click starts);
- every change of `[data-testid='stApp']`'s `data-test-script-state` (a MutationObserver);
- the server's own run events, read off the app's websocket: it wraps `window.WebSocket` and reads
  only the top-level field numbers of each ForwardMsg (4 `new_session`: a run started; 6
  `script_finished` with its status). This is needed because a short run (the baseline's click,
  about 20 ms) often never shows up in `data-test-script-state` at all: the frontend takes the
  start and the end in one render, so the attribute never says `running`. The attribute is still
  used when it does flip: the result counts once it says `notRunning` again.

Before an action the bench arms it with the expected result: a list of conditions over the DOM (a
CSS selector, optionally a text and an input value; elements inside a stale `[data-stale='true']`
container do not count, except for `absent`, where a stale element counts as present until
Streamlit removes it at the end of the run). The conditions are checked again on every DOM
mutation, so their time is the moment the page first showed the result.

The measurement ends at the latest of: the conditions holding; the end of the run that drew the
result (the last run to start after the action and before the result showed, else the first to
start after the action), which is the first `script_finished` after that run's start whose status
is not FINISHED_EARLY_FOR_RERUN (so an `st.rerun()` chain counts to its last run, and a fragment tick
that happens to finish in between does not end the measurement); and, if the attribute showed that
run, its return to `notRunning`. `need_run` requires such a
run (a feed option turns active at once, the run comes after); without it (a number input inside
an st.form changes only in the browser) the bench waits `grace_ms` for a run that might still
follow and counts it if one starts. Fragment runs end in FINISHED_FRAGMENT_RUN_SUCCESSFULLY and flip
`data-test-script-state` like full runs (checked on the listing page's `run_every` fragments), so
interactions moved into `st.fragment`s are measured the same way, with the DOM conditions for the
visible change.

The start is the mousedown (clicks) or the navigation's time origin (page opens: the conditions are
handed to the next document through sessionStorage, so they are armed before the app draws).
No eval: the app's Content-Security-Policy forbids it, so conditions are plain data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Locator, Page

WAIT_MS = 30_000

HARNESS_JS = r"""
(() => {
  if (window.__bench) { return; }
  const B = window.__bench = {log: [], msgs: [], input: null, armed: null, predAt: null, waiters: []};
  // The server's own word on runs: tap the app's websocket and read the top-level field numbers of
  // each ForwardMsg (4 new_session = a run started, 6 script_finished with its status enum).
  const varint = (b, i) => {
    let v = 0, m = 1, x;
    do { x = b[i++]; v += (x & 127) * m; m *= 128; } while (x & 128);
    return [v, i];
  };
  const tap = (data) => {
    const t = performance.now();
    if (!(data instanceof ArrayBuffer)) { return; }
    const b = new Uint8Array(data);
    let i = 0;
    while (i < b.length) {
      let tag, v; [tag, i] = varint(b, i);
      const field = Math.floor(tag / 8), wire = tag & 7;
      if (wire === 0) { [v, i] = varint(b, i); if (field === 6) { B.msgs.push(["finish", t, v]); } }
      else if (wire === 2) { [v, i] = varint(b, i); i += v; if (field === 4) { B.msgs.push(["start", t, 0]); } }
      else if (wire === 1) { i += 8; } else if (wire === 5) { i += 4; } else { return; }
    }
    check();
  };
  const Native = window.WebSocket;
  const Tapped = function (...args) {
    const ws = new Native(...args);
    ws.addEventListener("message", (e) => tap(e.data));
    return ws;
  };
  Tapped.prototype = Native.prototype;
  Object.assign(Tapped, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
  window.WebSocket = Tapped;
  const stale = (el) => el.closest("[data-stale='true']") !== null;
  const holds = (c) => {
    const all = Array.from(document.querySelectorAll(c.sel)).filter((el) =>
      (c.text == null || (c.exact ? el.textContent.trim() === c.text : el.textContent.includes(c.text)))
      && (c.value == null || el.value === c.value));
    if (c.absent) { return all.length === 0; }
    return all.filter((el) => !stale(el)).length >= (c.count || 1);
  };
  const EARLY_FOR_RERUN = 2;
  const result = () => {
    const a = B.armed;
    if (!a) { return null; }
    const start = a.nav ? 0 : B.input;
    if (start === null || B.predAt === null) { return null; }
    // The run that drew the result: the last one to start (after the action) before it showed, else
    // the first to start after the action. Its end is the first final script_finished after its start.
    const starts = B.msgs.filter(([k, t]) => k === "start" && t >= start);
    const started = starts.filter(([, t]) => t <= B.predAt).pop() || starts[0];
    const finished = started && B.msgs.find(([k, t, s]) => k === "finish" && s !== EARLY_FOR_RERUN && t >= started[1]);
    if (a.needRun && !finished) { return null; }
    if (!started && performance.now() - B.predAt < a.graceMs) { return null; }
    if (started && !finished) { return null; }
    let end = B.predAt;
    if (finished) {
      end = Math.max(end, finished[1]);
      // The frontend's flag, when it showed the run at all (a short one never reaches the DOM):
      // the result counts once it says notRunning again.
      let flag = null;
      for (const [s, t] of B.log) { if (t <= finished[1]) { flag = s; } }
      if (flag === "running") {
        const idle = B.log.find(([s, t]) => s === "notRunning" && t > finished[1]);
        if (!idle) { return null; }
        end = Math.max(end, idle[1]);
      }
    }
    const runs = B.msgs.filter(([k, t]) => k === "start" && t >= start && t <= end).length;
    return {ms: end - start, shown_ms: B.predAt - start, runs};
  };
  const check = () => {
    const a = B.armed;
    if (!a || (!a.nav && B.input === null)) { return; }
    const ok = a.conds.every(holds);
    if (ok && B.predAt === null) { B.predAt = performance.now(); }
    if (!ok) { B.predAt = null; }
    const r = result();
    if (r) { B.armed = null; B.last = r; B.waiters.splice(0).forEach((w) => w(r)); }
  };
  B.arm = (conds, needRun, graceMs, nav) => {
    B.armed = {conds, needRun, graceMs, nav}; B.predAt = null; B.input = null; B.last = null;
    if (nav) { check(); }
  };
  B.wait = (timeoutMs) => new Promise((resolve) => {
    if (B.last) { resolve(B.last); return; }
    B.waiters.push(resolve);
    const tick = setInterval(() => { check(); if (!B.armed) { clearInterval(tick); } }, 20);
    setTimeout(() => { clearInterval(tick); resolve({timeout: true, predAt: B.predAt, input: B.input,
      log: B.log.slice(-4), msgs: B.msgs.slice(-4)}); }, timeoutMs);
  });
  document.addEventListener("mousedown", () => { B.input = performance.now(); }, true);
  const pending = sessionStorage.getItem("__bench_arm");
  if (pending) {
    sessionStorage.removeItem("__bench_arm");
    const a = JSON.parse(pending);
    B.arm(a.conds, a.needRun, a.graceMs, true);
  }
  const hook = () => {
    const app = document.querySelector("[data-testid='stApp']");
    if (!app) { return false; }
    const note = () => { B.log.push([app.getAttribute("data-test-script-state"), performance.now()]); check(); };
    note();
    new MutationObserver(note).observe(app, {attributes: true, attributeFilter: ["data-test-script-state"]});
    new MutationObserver(check).observe(document.body, {childList: true, subtree: true, characterData: true,
      attributes: true});
    return true;
  };
  const begin = () => {
    if (hook()) { return; }
    const wait = new MutationObserver(() => { if (hook()) { wait.disconnect(); } });
    wait.observe(document.documentElement, {childList: true, subtree: true});
  };
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", begin); } else { begin(); }
})();
"""


def shown(sel: str, text: str | None = None, *, exact: bool = False, value: str | None = None,
          count: int = 1) -> dict[str, Any]:
    """A condition: at least `count` non-stale elements match `sel` (and contain `text`, or have
    the input value `value`)."""
    return {"sel": sel, "text": text, "exact": exact, "value": value, "count": count}


def absent(sel: str, text: str | None = None) -> dict[str, Any]:
    """A condition: no element (stale or not) matches."""
    return {"sel": sel, "text": text, "exact": False, "value": None, "absent": True}


@dataclass
class Sample:
    ms: float  # action until the result is shown and its run has finished
    shown_ms: float  # action until the DOM first showed the result
    runs: int  # script runs (full or fragment) seen between the two


class Timeout(RuntimeError):
    pass


def _sample(page: Page, what: str) -> Sample:
    res = page.evaluate("(t) => window.__bench.wait(t)", WAIT_MS)
    if res.get("timeout"):
        raise Timeout(f"{what}: no result in {WAIT_MS} ms ({res})")
    return Sample(round(res["ms"], 1), round(res["shown_ms"], 1), int(res["runs"]))


def click(page: Page, target: Locator, conds: list[dict[str, Any]], *, need_run: bool = True,
          grace_ms: int = 300) -> Sample:
    """Click `target` and time it until `conds` hold and the run they belong to has finished."""
    target.wait_for(timeout=WAIT_MS)
    page.evaluate("([c, n, g]) => window.__bench.arm(c, n, g, false)", [conds, need_run, grace_ms])
    target.click(timeout=WAIT_MS)
    return _sample(page, f"click {target}")


def open_page(page: Page, url: str, conds: list[dict[str, Any]]) -> Sample:
    """Navigate to `url` (the page must be on the same origin already) and time it from the
    navigation's start until `conds` hold and the first run has finished."""
    page.evaluate("(a) => sessionStorage.setItem('__bench_arm', JSON.stringify(a))",
                  {"conds": conds, "needRun": True, "graceMs": 0})
    page.goto(url, wait_until="commit", timeout=WAIT_MS)
    return _sample(page, f"open {url}")


def install(page: Page) -> None:
    page.context.add_init_script(HARNESS_JS)
