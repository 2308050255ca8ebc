"""What users feel, and what it costs the server: `python -m bench ui`.

Starts the app (tests.server.start_app on a copy of one seeded demo data dir, a fresh server per
part) and the one-button baseline (bench/baseline_app.py), all on 127.0.0.1 and free ports, and
prints one JSON line per measurement:

1. server (in-process AppTest, bench/ui_apptest.py): per page, visitor and signed in, the script
   run's wall and CPU ms, SQL statements and full GCs (count, ms), p50/p95 over `--runs`.
2. load (protocol-level sessions over Streamlit's websocket, bench/ui_load.py): server CPU ms per
   interaction on Discover and on the idea page (one session, `--per-page` interactions each); then
   for each K of `--sessions`, K signed-in sessions for `--duration` s: interactions/s, p50/p95 ms,
   server CPU (% of one core, ms per interaction), RSS before / peak / after they closed; and the
   baseline at K=8.
3. interactions (Chromium, bench/ui_browser.py + bench/ui_harness.py): per page open and
   interaction, app and baseline interleaved, `--samples` each: p50/p95 ms, ratio of the medians.
4. idle: `--viewers` Chromium tabs parked on a listing with a live drop, then on Discover, for
   `--idle-seconds`: the server's CPU (% of one core) each, and the ratio.
A last `summary` line gathers the figures the targets are checked against.

The server part runs first, before Playwright is imported: a full GC's cost depends on every object
in the process, and the bench's own process should look like the server's while it measures one.
Chromium runs only for the parts that need a browser; the load parts drive the server with no
browser on its two cores.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.ui_server import app_server, baseline_server, seed_template

PARTS = ("server", "load", "interactions", "idle")
CHROMIUM = "/usr/bin/chromium"
BASELINE_K = 8


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"name": "summary"}
    ratios = {r["name"]: r["ratio"] for r in rows if "ratio" in r and "app_p50_ms" in r}
    if ratios:
        out["max_ratio_to_baseline"] = max(ratios.values())
        out["over_1_3x"] = sorted(n for n, v in ratios.items() if v > 1.3)
    cpu = {r["page"]: r["server_cpu_ms_per_interaction"] for r in rows if r["name"] == "server_cpu_per_interaction"}
    if cpu:
        out["server_cpu_ms_per_interaction"] = cpu
    load = {r["k"]: r for r in rows if r["name"] == "load"}
    if BASELINE_K in load:
        out[f"k{BASELINE_K}_interactions_per_s"] = load[BASELINE_K]["interactions_per_s"]
        out[f"k{BASELINE_K}_p95_ms"] = load[BASELINE_K]["p95_ms"]
    if load:
        first, last = load[min(load)], load[max(load)]
        peak = max(r["rss_peak_mb"] for r in load.values())
        out.update({"rss_before_mb": first["rss_before_mb"], "rss_peak_mb": peak,
                    f"rss_after_k{max(load)}_mb": last["rss_after_mb"],
                    "rss_after_ratio": round(last["rss_after_mb"] / first["rss_before_mb"], 2)})
    for r in rows:
        if r["name"] == "idle_viewers":
            out.update({"idle_live_drop_cpu_pct": r["live_drop_cpu_pct"], "idle_static_cpu_pct": r["static_cpu_pct"],
                        "idle_ratio": r["ratio"], "idle_live_drop_loaded": r["live_drop_loaded"]})
    errors = [r["name"] for r in rows if "error" in r]
    if errors:
        out["errors"] = errors
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench ui", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma-separated parts of {', '.join(PARTS)}")
    parser.add_argument("--samples", type=int, default=12, help="Chromium samples per interaction (and baseline)")
    parser.add_argument("--sessions", default="1,4,8,16", help="concurrent protocol sessions, K values")
    parser.add_argument("--duration", type=float, default=20, help="seconds per K")
    parser.add_argument("--per-page", type=int, default=30, help="interactions for the per-page server CPU")
    parser.add_argument("--viewers", type=int, default=20, help="idle Chromium tabs")
    parser.add_argument("--idle-seconds", type=float, default=30, help="idle measurement window")
    parser.add_argument("--runs", type=int, default=20, help="AppTest runs per page")
    args = parser.parse_args(argv)
    parts = {p.strip() for p in args.only.split(",") if p.strip()}
    if not parts or parts - set(PARTS):
        parser.error(f"--only takes {', '.join(PARTS)}")
    rows: list[dict[str, Any]] = []

    def emit(row: dict[str, Any]) -> None:
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="cocreate-bench-ui-") as tmp:
        workdir = Path(tmp)
        template = seed_template(workdir)
        if "server" in parts:
            from bench.ui_apptest import run_server_pages

            run_server_pages(template, workdir, args.runs, emit)
        if "load" in parts:
            from bench.ui_load import run_baseline_load, run_load, run_per_page_cpu

            with app_server(template, workdir, "cpu") as app:
                run_per_page_cpu(app.url, app.process.pid, app.data_dir, args.per_page, emit)
            with app_server(template, workdir, "load") as app:
                run_load(app.url, app.process.pid, app.data_dir, _ints(args.sessions), args.duration, emit)
            with baseline_server(workdir) as base:
                run_baseline_load(base.url, base.process.pid, BASELINE_K, args.duration, emit)
        if parts & {"interactions", "idle"}:
            from playwright.sync_api import sync_playwright

            from bench.ui_browser import run_idle, run_interactions
            from tests.e2e.helpers import LAUNCH_ARGS

            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, timeout=30_000)
                try:
                    if "interactions" in parts:
                        with app_server(template, workdir, "interactions") as app, baseline_server(workdir) as base:
                            run_interactions(browser, app.url, base.url, args.samples, emit)
                    if "idle" in parts:
                        with app_server(template, workdir, "idle") as app:
                            run_idle(browser, app.url, app.process.pid, args.viewers, args.idle_seconds, emit)
                finally:
                    browser.close()
    emit({**summary(rows), "total_s": round(time.perf_counter() - started, 1)})
    return 0
