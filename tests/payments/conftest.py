"""localstripe, a Stripe-compatible fake server, started once per test session on a free port,
and a tiny HTTP receiver for the webhooks it sends.

Without localstripe the Stripe tests skip with a reason; with CI=true they fail instead.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from lib.adapters.payments.stripe_gateway import StripeGateway
from tests.conftest import unavailable
from tests.server import free_port

SECRET_KEY = "sk_test_cocreate"
PUBLISHABLE_KEY = "pk_test_cocreate"
WEBHOOK_SECRET = "whsec_cocreate_tests"
START_TIMEOUT = 20.0


@dataclass
class Localstripe:
    """A running localstripe, and raw HTTP access to it that does not go through our gateway."""

    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def request(self, method: str, path: str, data: dict[str, Any] | None = None,
                key: str | None = SECRET_KEY) -> Any:
        body = None if data is None else urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(self.url + path, data=body, method=method)
        if key:
            request.add_header("Authorization", f"Bearer {key}")
        try:
            with urllib.request.urlopen(request, timeout=10) as reply:
                text = reply.read().decode()
        except urllib.error.HTTPError as exc:
            return {"http_status": exc.code, **json.loads(exc.read().decode() or "{}")}
        return json.loads(text) if text.strip() else None

    def get(self, path: str) -> Any:
        return self.request("GET", path)

    def register_webhook(self, hook_id: str, url: str, secret: str) -> None:
        self.request("POST", f"/_config/webhooks/{hook_id}", {"url": url, "secret": secret}, key=None)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@pytest.fixture(scope="session")
def localstripe(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Localstripe]:
    if importlib.util.find_spec("localstripe") is None:
        unavailable("localstripe is not installed (pip install -r requirements-dev.txt)")
    folder = tmp_path_factory.mktemp("localstripe")
    port = free_port()
    log_path = folder / "localstripe.log"
    # --from-scratch: do not reload /tmp/localstripe.pickle, which another run may have left behind.
    with log_path.open("wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "localstripe", "--port", str(port), "--from-scratch"],
                                   stdout=log, stderr=subprocess.STDOUT, cwd=folder)
    server = Localstripe(f"http://127.0.0.1:{port}", process, log_path)
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if process.poll() is not None:
            tail = log_path.read_text(errors="replace")[-500:]
            unavailable(f"localstripe exited with code {process.returncode}: {tail}")
        try:
            with urllib.request.urlopen(server.url + "/js.stripe.com/v3/", timeout=1):
                break
        except OSError:
            if time.monotonic() > deadline:
                _stop(process)
                unavailable(f"localstripe did not answer on port {port} within {START_TIMEOUT:.0f} s")
            time.sleep(0.1)
    yield server
    _stop(process)


@pytest.fixture
def gateway(localstripe: Localstripe) -> StripeGateway:
    return StripeGateway(SECRET_KEY, publishable_key=PUBLISHABLE_KEY, webhook_secret=WEBHOOK_SECRET,
                         api_base=localstripe.url, js_url=localstripe.url + "/js.stripe.com/v3/",
                         max_network_retries=0, timeout_seconds=10)


@dataclass
class Receiver:
    """Records every POST it gets: the raw body and the Stripe-Signature header."""

    url: str
    received: list[tuple[bytes, str | None]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_for(self, event_type: str, object_id: str, timeout: float = 10.0) -> tuple[bytes, str | None]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for body, signature in self.received:
                    event = json.loads(body)
                    if event["type"] == event_type and event["data"]["object"]["id"] == object_id:
                        return body, signature
            time.sleep(0.05)
        raise AssertionError(f"no {event_type} for {object_id} within {timeout} s")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found: Receiver

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with found.lock:
                found.received.append((body, self.headers.get("Stripe-Signature")))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    found = Receiver(f"http://127.0.0.1:{server.server_address[1]}/webhooks/stripe")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield found
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
