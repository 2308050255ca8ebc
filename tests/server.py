"""Start the real app with `streamlit run` on a free port, for HTTP and browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lib.services.context import AppContext

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 90


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class RunningApp:
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    data_dir: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


@contextmanager
def services_of(app: RunningApp) -> Iterator[AppContext]:
    """The services over a running app's own database, with the settings the app itself reads."""
    from lib.adapters.db.engine import make_engine
    from lib.bootstrap import build_context
    from lib.config import load_settings
    from tests.conftest import fast_hasher

    settings = load_settings(env={"COCREATE_DATA_DIR": str(app.data_dir), "COCREATE_RUN_JOBS_IN_APP": "false"})
    engine = make_engine(settings.database_url)
    try:
        yield build_context(settings, engine, hasher=fast_hasher())
    finally:
        engine.dispose()


def start_script(script: str, folder: Path, env: dict[str, str]) -> RunningApp:
    """`streamlit run <script>` on 127.0.0.1 and a free port, its log in `folder`; returns once
    Streamlit answers its health check (bounded)."""
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    log_path = folder / "server.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log_path.open("wb"), stderr=subprocess.STDOUT)
    app = RunningApp(f"http://127.0.0.1:{port}", process, log_path, folder)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{script} exited early:\n{app.log()}")
        try:
            with urllib.request.urlopen(f"{app.url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return app
        except OSError:
            time.sleep(0.3)
    app.stop()
    raise RuntimeError(f"{script} did not start in {STARTUP_SECONDS}s:\n{app.log()}")


def start_app(data_dir: Path, extra_env: dict[str, str] | None = None, wait_healthy: bool = True) -> RunningApp:
    """Run streamlit_app.py on 127.0.0.1 and wait until /healthz answers (bounded)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COCREATE_", "DATABASE_URL"))}
    env.update({"COCREATE_DATA_DIR": str(data_dir), "COCREATE_RUN_JOBS_IN_APP": "false",
                "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"})
    env.update(extra_env or {})
    app = start_script("streamlit_app.py", data_dir, env)
    if wait_healthy:
        # The first /healthz starts the app context (migrations + demo seed).
        with urllib.request.urlopen(f"{app.url}/healthz", timeout=60) as r:
            assert r.status == 200, r.read()
    return app
