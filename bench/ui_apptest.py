"""Server-side cost of one script run per page, in-process with Streamlit's AppTest.

Set up as tests/ui/conftest.py does it: our environment variables replaced by a data dir of our
own (a copy of the seeded template), lib.runtime's process-wide context started on it, and AppTest
kept from re-entering Streamlit's legacy pages-directory mode so every run goes through
streamlit_app.py's shell, as on the server. Each page (visitor and signed in as the demo consumer)
runs twice to warm up, then `runs` times; per run: wall ms, CPU ms (time.process_time: AppTest runs
the script on a thread of its own, and nothing else runs in this process meanwhile), SQL statements
(a `before_cursor_execute` listener on every Engine, installed here and only here), and full
(generation 2) garbage collections with their ms (gc.callbacks). On the server Streamlit's
ScriptRunner runs a full collection after every run (`runner.postScriptGC`, on by default);
AppTest's LocalScriptRunner leaves it out, so the bench runs it right after each `at.run()` inside
the measured window while that option is on (`post_script_gc` in the row): the figures are a run
as the server pays for it.
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
import sqlite3
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from bench.feed import percentile
from tests.server import ROOT

ENTRY = ROOT / "streamlit_app.py"
OUR_ENV = ("COCREATE_", "DATABASE_URL", "SMTP_")
CONSUMER = "consumer@demo.cocreate.test"


@contextmanager
def app_context_on(data_dir: Path) -> Iterator[Any]:
    from lib import runtime
    from tests.ui.helpers import navigation_owns_routing

    saved = dict(os.environ)
    for name in list(os.environ):
        if name.startswith(OUR_ENV):
            del os.environ[name]
    os.environ.update({"COCREATE_DATA_DIR": str(data_dir), "DATABASE_URL": f"sqlite:///{data_dir / 'cocreate.db'}",
                       "COCREATE_RUN_JOBS_IN_APP": "false", "COCREATE_DEMO": "true", "SMTP_HOST": ""})
    runtime._holder.clear()
    try:
        with navigation_owns_routing():
            yield runtime.app_context()
    finally:
        runtime._holder.clear()
        os.environ.clear()
        os.environ.update(saved)


class Counters:
    """SQL statements and full GCs while installed (`with Counters() as c:`)."""

    def __init__(self) -> None:
        self.sql = self.gc2 = 0
        self.gc2_ms = 0.0
        self._gc_started = 0.0

    def _statement(self, *args: Any) -> None:
        self.sql += 1

    def _gc(self, phase: str, info: dict[str, Any]) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            self.gc2 += 1
            self.gc2_ms += (time.perf_counter() - self._gc_started) * 1000

    def reset(self) -> None:
        self.sql = self.gc2 = 0
        self.gc2_ms = 0.0

    def __enter__(self) -> Counters:
        event.listen(Engine, "before_cursor_execute", self._statement)
        gc.callbacks.append(self._gc)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(Engine, "before_cursor_execute", self._statement)
        gc.callbacks.remove(self._gc)


def _pages(data_dir: Path) -> list[tuple[str, dict[str, str]]]:
    with sqlite3.connect(f"file:{data_dir / 'cocreate.db'}?mode=ro", uri=True) as db:
        idea = db.execute("SELECT id FROM ideas WHERE status = 'published' "
                          "ORDER BY hot_score DESC, id DESC").fetchone()[0]
        campaign = db.execute("SELECT id FROM campaigns WHERE status = 'open' ORDER BY id").fetchone()[0]
        drop = db.execute("SELECT id FROM listings ORDER BY starts_at IS NULL, id").fetchone()[0]
    return [("discover", {}), ("idea", {"id": str(idea)}), ("campaign", {"id": str(campaign)}),
            ("listing", {"id": str(drop)}), ("shop", {}), ("sign_in", {})]


def _stats(prefix: str, values: list[float]) -> dict[str, float]:
    return {f"{prefix}_p50": round(statistics.median(values), 1), f"{prefix}_p95": round(percentile(values, 0.95), 1)}


def run_server_pages(template: Path, workdir: Path, runs: int, emit: Callable[[dict], None]) -> None:
    from streamlit import config
    from streamlit.testing.v1 import AppTest

    from lib.services.accounts import auth
    from lib.services.demo.content import DEMO_PASSWORD

    data_dir = workdir / "apptest"
    shutil.copytree(template, data_dir, ignore=shutil.ignore_patterns("server.log"))
    pages = _pages(data_dir)
    post_gc = bool(config.get_option("runner.postScriptGC"))
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
    with app_context_on(data_dir) as ctx, Counters() as counters:
        for who in ("visitor", "consumer"):
            for page, params in pages:
                at = AppTest.from_file(str(ENTRY), default_timeout=30)
                if who != "visitor":
                    signed = auth.sign_in(ctx, email=CONSUMER, password=DEMO_PASSWORD)
                    at.session_state["auth.user_id"] = signed.user.id
                    at.session_state["auth.session_id"] = signed.session_id
                for name, value in params.items():
                    at.query_params[name] = value
                at.switch_page(f"pages/{page}.py").run()
                at.run()
                wall, cpu, sql, gcs, gc_ms = [], [], [], [], []
                for _ in range(runs):
                    counters.reset()
                    w0, c0 = time.perf_counter(), time.process_time()
                    at.run()
                    if post_gc:  # what the server's ScriptRunner does after every run; AppTest's does not
                        gc.collect(2)
                    wall.append((time.perf_counter() - w0) * 1000)
                    cpu.append((time.process_time() - c0) * 1000)
                    sql.append(counters.sql)
                    gcs.append(counters.gc2)
                    gc_ms.append(counters.gc2_ms)
                query = "&".join(f"{k}={v}" for k, v in params.items())
                emit({"name": "server_run", "page": page + (f"?{query}" if query else ""), "who": who, "n": runs,
                      **_stats("wall_ms", wall), **_stats("cpu_ms", cpu), **_stats("sql", sql),
                      **_stats("gc2", gcs), **_stats("gc2_ms", gc_ms), "post_script_gc": post_gc,
                      "errors": len(at.exception)})
