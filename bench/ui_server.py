"""Servers for `python -m bench ui`, and what /proc says about them.

The app runs with tests.server.start_app on a copy of one data dir that was seeded once (the
embedded default seeds the demo marketplace on first start), so every part of the benchmark starts
from the same fresh demo data without paying for the seed again. The baseline is
bench/baseline_app.py, started the same way. Server CPU is utime+stime of the streamlit process and
its descendants (plus their reaped children) from /proc/<pid>/stat; RSS is VmRSS from /proc/<pid>/status.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from lib.bootstrap import build_context, connect
from lib.config import load_settings
from lib.services.accounts import auth
from lib.services.accounts.cookies import cookie_name, sign
from lib.services.context import AppContext
from lib.services.demo.content import DEMO_PASSWORD
from tests.server import RunningApp, start_app, start_script

TICKS = os.sysconf("SC_CLK_TCK")


def seed_template(workdir: Path) -> Path:
    """Start the app once on an empty data dir (migrations + demo seed), stop it, keep the dir."""
    template = workdir / "template"
    start_app(template).stop()
    return template


@contextmanager
def app_server(template: Path, workdir: Path, name: str) -> Iterator[RunningApp]:
    data_dir = workdir / name
    shutil.copytree(template, data_dir, ignore=shutil.ignore_patterns("server.log"))
    app = start_app(data_dir)
    try:
        yield app
    finally:
        app.stop()


@contextmanager
def baseline_server(workdir: Path) -> Iterator[RunningApp]:
    """bench/baseline_app.py under `streamlit run` on a free port (bounded start-up)."""
    folder = Path(tempfile.mkdtemp(prefix="baseline-", dir=workdir))
    server = start_script("bench/baseline_app.py", folder,
                          {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"})
    try:
        yield server
    finally:
        server.stop()


def _tree(pid: int) -> list[int]:
    """pid and all its descendants (those alive now)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            with suppress(OSError):
                todo.extend(int(c) for c in task.read_text().split())
    return found


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by the process tree under pid."""
    total = 0
    for member in _tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    return total / TICKS


def rss_mb(pid: int) -> float:
    """Resident memory of the process tree under pid, in MB."""
    total_kb = 0
    for member in _tree(pid):
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return round(total_kb / 1024, 1)


class CpuWindow:
    """Server CPU over a window: `with CpuWindow(pid) as w: ...`, then w.cpu_s, w.wall_s, w.pct."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.cpu_s = self.wall_s = 0.0

    def __enter__(self) -> CpuWindow:
        self._cpu, self._wall = cpu_seconds(self.pid), time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cpu_s = cpu_seconds(self.pid) - self._cpu
        self.wall_s = time.perf_counter() - self._wall

    @property
    def pct(self) -> float:
        """% of one core."""
        return round(100 * self.cpu_s / self.wall_s, 1) if self.wall_s else 0.0


@contextmanager
def bench_context(data_dir: Path) -> Iterator[AppContext]:
    """The app's services over the same database as a running app (settings read as start_app's
    server reads them), for the bench's own sign-ins."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COCREATE_", "DATABASE_URL"))}
    env.update({"COCREATE_DATA_DIR": str(data_dir), "COCREATE_RUN_JOBS_IN_APP": "false"})
    settings = load_settings(env)
    engine = connect(settings)
    try:
        yield build_context(settings, engine)
    finally:
        engine.dispose()


def session_cookie(ctx: AppContext, email: str, password: str = DEMO_PASSWORD) -> tuple[str, str]:
    """(name, value) of a sign-in cookie for the account, as the browser would hold it after signing in:
    sign in, swap the one-time handoff code for the cookie token, sign it."""
    signed = auth.sign_in(ctx, email=email, password=password)
    token = auth.claim_handoff(ctx, signed.handoff_code)
    return cookie_name(ctx.cookie_secure), sign(token, ctx.cookie_secret)
