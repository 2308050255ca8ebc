"""The header middleware's decisions from the settings: CSP sources, HSTS, allowed websocket origins."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from lib.config import load_settings
from lib.web.middleware import (
    Policy,
    SecurityHeadersMiddleware,
    content_security_policy,
    inline_script_hashes,
    origin_of,
)

SECRET = "k" * 48


def settings(tmp_path: Path, **env: str):  # type: ignore[no-untyped-def]
    return load_settings(env={"COCREATE_DEMO": "false", "COCREATE_COOKIE_SECRET": SECRET, **env}, root=tmp_path)


def directive(csp: str, name: str) -> str:
    return next(part.strip() for part in csp.split(";") if part.strip().startswith(name + " "))


def test_hsts_only_for_an_https_base_url(tmp_path: Path) -> None:
    https = Policy.from_settings(settings(tmp_path, COCREATE_BASE_URL="https://cocreate.example"))
    assert https.page_headers[b"strict-transport-security"].startswith(b"max-age=63072000")
    http = Policy.from_settings(settings(tmp_path, COCREATE_BASE_URL="http://localhost:8501"))
    assert b"strict-transport-security" not in http.page_headers


def test_stripe_is_allowed_only_when_configured(tmp_path: Path) -> None:
    plain = Policy.from_settings(settings(tmp_path)).page_headers[b"content-security-policy"].decode()
    assert "stripe" not in plain
    stripe = Policy.from_settings(settings(
        tmp_path, STRIPE_SECRET_KEY="sk_test_x", STRIPE_PUBLISHABLE_KEY="pk_test_x", STRIPE_WEBHOOK_SECRET="whsec_x",
    )).page_headers[b"content-security-policy"].decode()
    assert "https://js.stripe.com" in directive(stripe, "script-src")
    assert "https://js.stripe.com" in directive(stripe, "frame-src")
    assert "https://hooks.stripe.com" in directive(stripe, "frame-src")
    assert "https://api.stripe.com" in directive(stripe, "connect-src")


def test_a_local_stripe_js_and_api_are_allowed_by_their_origin() -> None:
    csp = content_security_policy("http://127.0.0.1:8420/js.stripe.com/v3/", "http://127.0.0.1:8420")
    assert "http://127.0.0.1:8420" in directive(csp, "script-src")
    assert directive(csp, "connect-src") == "connect-src 'self' http://127.0.0.1:8420"


def test_the_policy_has_no_script_eval_and_locks_down_objects_bases_and_forms() -> None:
    csp = content_security_policy(None, script_hashes=["'sha256-abc='"])
    scripts = directive(csp, "script-src")
    assert "'unsafe-eval'" not in scripts and "'unsafe-inline'" not in scripts and "'sha256-abc='" in scripts
    for wanted in ("object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'self'",
                   "default-src 'self'"):
        assert wanted in csp


def test_inline_script_hashes_match_what_chromium_asks_for() -> None:
    html = "<head><script>\n      window.prerenderReady = false\n    </script><script src='x.js'></script>"
    assert inline_script_hashes(html) == ["'sha256-THxz9J9+wf7rhwR2YkXJoSZ13UCmYyC+3lNDv2+8ugA='"]


@pytest.mark.parametrize(("url", "origin"), [("https://Cocreate.example/", "https://cocreate.example"),
                                             ("https://cocreate.example:443/x", "https://cocreate.example"),
                                             ("http://127.0.0.1:8501", "http://127.0.0.1:8501"),
                                             ("http://[::1]:8501/", "http://[::1]:8501"),
                                             ("javascript:alert(1)", None), ("null", None),
                                             ("http://h:99999", None)])
def test_origin_of(url: str, origin: str | None) -> None:
    assert origin_of(url) == origin


def test_websocket_origins_allowed(tmp_path: Path) -> None:
    policy = Policy.from_settings(settings(tmp_path, COCREATE_BASE_URL="https://cocreate.example"))
    assert policy.origin_allowed("https://cocreate.example", "internal:8501", "ws")  # behind a proxy
    assert policy.origin_allowed("https://app.host:8443", "app.host:8443", "wss")  # the page it served
    assert not policy.origin_allowed("http://app.host:8443", "app.host:8443", "wss")
    assert not policy.origin_allowed("https://app.host:9999", "app.host:8443", "wss")
    assert not policy.origin_allowed("https://evil.example", "cocreate.example", "wss")
    assert not policy.origin_allowed("null", "cocreate.example", "wss")


def handshake(middleware: SecurityHeadersMiddleware, origin: bytes | None) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []
    reached: list[bool] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        reached.append(True)

    middleware.app = app

    async def receive() -> dict[str, Any]:
        return {"type": "websocket.connect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    headers = [(b"host", b"127.0.0.1:8501")] + ([(b"origin", origin)] if origin is not None else [])
    asyncio.run(middleware({"type": "websocket", "path": "/_stcore/stream", "headers": headers, "scheme": "ws"},
                           receive, send))
    return sent if not reached else [{"type": "passed"}]


def test_the_middleware_closes_a_foreign_handshake_before_accepting(tmp_path: Path) -> None:
    middleware = SecurityHeadersMiddleware(None, settings=lambda: settings(tmp_path))  # type: ignore[arg-type]
    assert handshake(middleware, b"http://127.0.0.1:9999") == [{"type": "websocket.close", "code": 1008}]
    assert handshake(middleware, b"http://127.0.0.1:8501") == [{"type": "passed"}]
    assert handshake(middleware, None) == [{"type": "passed"}]
