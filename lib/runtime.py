"""The process-wide application context, shared by the Streamlit pages and HTTP routes.

It is created once (thread-safe) and never mutated afterwards, like a
`st.cache_resource` value, but reachable from Starlette routes too. The in-app
scheduler thread is started alongside it when configured.
"""

from __future__ import annotations

import gc
import logging
import os
import socket
import threading

from lib.bootstrap import start
from lib.config import load_settings
from lib.services.context import AppContext
from lib.services.jobs import run_due_jobs

log = logging.getLogger(__name__)
SCHEDULER_INTERVAL_SECONDS = 60
_lock = threading.Lock()
_holder: list[AppContext] = []


def app_context() -> AppContext:
    """Start the app on first use; a StartupError propagates and is retried next time."""
    if _holder:
        return _holder[0]
    with _lock:
        if not _holder:
            settings = load_settings()
            ctx = start(settings)
            if settings.run_jobs_in_app:
                _start_scheduler(ctx)
            _holder.append(ctx)
            # Everything loaded so far (Streamlit, SQLAlchemy, the app's modules, the catalogues) lives
            # as long as the process: keep it out of every later garbage collection's scan.
            gc.collect()
            gc.freeze()
        return _holder[0]


def _start_scheduler(ctx: AppContext) -> None:
    holder = f"{socket.gethostname()}:{os.getpid()}"
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(SCHEDULER_INTERVAL_SECONDS):
            try:
                run_due_jobs(ctx, holder)
            except Exception:
                log.exception("due jobs failed")

    threading.Thread(target=loop, name="cocreate-scheduler", daemon=True).start()
