"""Helpers shared by the integration tests: slow fakes, HTTP and CLI runners."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from tests.conftest import fast_hasher
from tests.server import ROOT


class SlowVerifyHasher:
    """The real (fast) argon2 hasher, with a pause in verify that widens read-modify-write windows."""

    def __init__(self, pause: float = 0.05) -> None:
        self._real = fast_hasher()
        self.pause = pause

    def hash(self, password: str) -> str:
        return self._real.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        time.sleep(self.pause)
        return self._real.verify(password_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        return self._real.needs_rehash(password_hash)


@dataclass
class RecordingMailer:
    """A Mailer that keeps what it was asked to send, optionally slowly or failing."""

    delay: float = 0.0
    fail_with: str | None = None
    sent: list[tuple[str, str, str]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, to_address: str, subject: str, body: str) -> None:
        time.sleep(self.delay)
        if self.fail_with:
            raise ConnectionRefusedError(self.fail_with)
        with self._lock:
            self.sent.append((to_address, subject, body))


def count_rows(engine: Engine, table: Any, *where: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())


@dataclass(frozen=True)
class HttpReply:
    status: int
    headers: Message
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def cookies(self) -> list[str]:
        return self.headers.get_all("Set-Cookie") or []


def http(method: str, url: str, body: Any = None, headers: dict[str, str] | None = None,
         raw: bytes | None = None) -> HttpReply:
    """One request with the standard library; non-2xx answers are returned, not raised."""
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return HttpReply(r.status, r.headers, r.read())
    except urllib.error.HTTPError as err:
        return HttpReply(err.code, err.headers, err.read())


def cli_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COCREATE_", "DATABASE_URL"))}
    env.update({"COCREATE_DATA_DIR": str(data_dir),
                "DATABASE_URL": f"sqlite:///{data_dir / 'cocreate.db'}"})
    env.update(extra)
    return env


def run_cli(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """`python -m lib.cli ...` in a fresh process, as an operator would run it."""
    return subprocess.run([sys.executable, "-m", "lib.cli", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=120, check=False)
