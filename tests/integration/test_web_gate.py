"""The HTTP routes' gate for hostile input, on both databases: parameters, bodies, codes, webhooks.

The routes run in-process (the same ROUTES, middleware and exception handlers `st.App` serves)
over an AppContext on SQLite and on PostgreSQL; test_http_routes.py covers the real server."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware

from lib.adapters.db import migrate
from lib.adapters.db.engine import make_engine
from lib.services.context import AppContext
from lib.web import routes
from lib.web.middleware import SecurityHeadersMiddleware
from tests.conftest import make_context, scratch_pg_engine

WEBHOOK_SECRET = "whsec_test_gate"


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def ctx(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppContext]:
    """One migrated database per engine for the whole module (these tests write almost nothing)."""
    tmp = tmp_path_factory.mktemp("gate")
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp / 'gate.db'}")
        migrate.upgrade(engine)
        yield make_context(engine, tmp / "images")
        engine.dispose()
        return
    with scratch_pg_engine("cocreate_gate_") as engine:
        migrate.upgrade(engine)
        yield make_context(engine, tmp / "images")


@pytest.fixture
def app(ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> Starlette:
    monkeypatch.setattr(routes, "app_context", lambda: ctx)
    return Starlette(routes=routes.ROUTES, exception_handlers=routes.EXCEPTION_HANDLERS,  # type: ignore[arg-type]
                     middleware=[Middleware(SecurityHeadersMiddleware)])


class Reply:
    def __init__(self) -> None:
        self.status = 0
        self.headers: dict[str, str] = {}
        self.body = b""

    def json(self) -> Any:
        return json.loads(self.body)


def call(app: Starlette, method: str, path: str, query: bytes = b"", chunks: Iterator[bytes] | None = None,
         headers: dict[str, str] | None = None) -> Reply:
    """One request through the ASGI app; the body is handed over chunk by chunk, as a server does."""
    reply = Reply()
    body = iter(chunks or [])
    done = False

    async def receive() -> dict[str, Any]:
        nonlocal done
        if done:
            await asyncio.sleep(3600)  # a client that sends nothing more
        chunk = next(body, None)
        if chunk is None:
            done = True
            return {"type": "http.request", "body": b"", "more_body": False}
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            reply.status = message["status"]
            reply.headers = {k.decode().lower(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            reply.body += message.get("body", b"")

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query,
             "root_path": "", "server": ("testserver", 80), "client": ("127.0.0.1", 5000),
             "headers": [(b"host", b"testserver"), *((k.lower().encode(), v.encode())
                                                     for k, v in (headers or {}).items())]}
    asyncio.run(asyncio.wait_for(app(scope, receive, send), timeout=30))
    return reply


PYTHON_WORDING = ("invalid literal", "is not a valid", "Traceback", "ValueError", "int()")


@pytest.mark.parametrize("path", ["/api/ideas", "/api/listings"])
@pytest.mark.parametrize("query", [b"q=%00", b"category=%00", b"q=a%00b", b"q=%1b%5b31m", b"category=%0d%0a",
                                   b"q=" + b"x" * 201, b"limit=abc", b"limit=1.5", b"limit=%C2%B2",
                                   b"limit=0", b"limit=101", b"limit=-1", b"limit=+5", b"limit=%205",
                                   b"offset=-1", b"offset=" + b"9" * 30, b"offset=%D9%A3",
                                   b"limit=999999999999999999999999999999", b"q=a%E2%80%AEb",
                                   b"category=%E2%81%A6x"])
def test_bad_parameters_are_a_400_in_our_words(app, path, query):
    reply = call(app, "GET", path, query)
    assert reply.status == 400, reply.body
    assert reply.headers["content-type"] == "application/json"
    error = reply.json()["error"]
    assert error and not any(w in error for w in PYTHON_WORDING)


@pytest.mark.parametrize(("query", "message"), [
    (b"limit=abc", "limit must be a whole number from 1 to 100"),
    (b"limit=500", "limit must be a whole number from 1 to 100"),
    (b"status=draft", "status must be one of"),
    (b"status=x", "status must be one of"),
    (b"feed=bogus", "feed must be one of hot, top, new"),
    (b"q=%00", "q must not contain control characters"),
])
def test_idea_parameter_messages_say_what_is_allowed(app, query, message):
    reply = call(app, "GET", "/api/ideas", query)
    assert reply.status == 400 and message in reply.json()["error"]


@pytest.mark.parametrize("query", [b"", b"limit=100&offset=0", b"q=%ED%8C%A8%EB%93%9C&category=kitchen",
                                   b"status=published&feed=hot", b"q=%25_"])
def test_good_parameters_still_answer(app, query):
    for path in ("/api/ideas", "/api/listings"):
        reply = call(app, "GET", path, query)
        assert reply.status == 200, (path, query, reply.body)
        assert "items" in reply.json()


class Endless:
    """A body that would take a very long time to exhaust (1 TiB in 64 KiB chunks), counting
    how many chunks the server asked for."""

    CHUNK = 65536

    def __init__(self) -> None:
        self.sent = 0

    def __iter__(self) -> Iterator[bytes]:
        for _ in range(2**24):
            self.sent += 1
            yield b"x" * self.CHUNK


@pytest.mark.parametrize(("path", "cap"), [("/webhooks/stripe", routes.WEBHOOK_MAX_BYTES),
                                           ("/auth/session", routes.AUTH_MAX_BYTES),
                                           ("/auth/signout", routes.AUTH_MAX_BYTES)])
def test_a_streamed_body_over_the_cap_is_a_413_after_reading_no_more_than_the_cap(app, path, cap):
    body = Endless()
    reply = call(app, "POST", path, chunks=iter(body))
    assert reply.status == 413 and "at most" in reply.json()["error"]
    assert 0 < body.sent * Endless.CHUNK <= cap + Endless.CHUNK


@pytest.mark.parametrize("path", ["/webhooks/stripe", "/auth/session", "/auth/signout"])
def test_a_declared_length_over_the_cap_is_refused_before_reading(app, path):
    body = Endless()
    reply = call(app, "POST", path, chunks=iter(body), headers={"content-length": str(100 * 2**20)})
    assert reply.status == 413
    assert body.sent == 0
    assert call(app, "POST", path, headers={"content-length": "lots"}).status == 400


@pytest.mark.parametrize("raw", [b'{"code": "\\ud800"}', b'{"code": "\\udcff\\ud800abc"}', b'{"code": "\xff\xfe"}',
                                 "{\"code\": \"\u0000\u202e\"}".encode(), b'{"code": 12}', b'{"code": null}',
                                 b'{"code": ["a"]}', b'"code"', b"[]", b"\xff", b"{"])
def test_a_garbage_handoff_code_is_the_same_400_as_any_invalid_code(app, raw):
    reply = call(app, "POST", "/auth/session", chunks=iter([raw]))
    assert reply.status == 400, reply.body
    assert reply.headers["content-type"] == "application/json"
    assert "set-cookie" not in reply.headers
    assert reply.json()["error"] in ("invalid or used code", "expected JSON with a code")


def signed(payload: bytes, timestamp: int, secret: str = WEBHOOK_SECRET) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


@pytest.fixture
def stripe_app(app, ctx, monkeypatch):
    import dataclasses

    from lib.adapters.payments.stripe_gateway import StripeGateway

    gateway = StripeGateway("sk_test_gate", webhook_secret=WEBHOOK_SECRET, api_base="http://127.0.0.1:9")
    monkeypatch.setattr(routes, "app_context", lambda: dataclasses.replace(ctx, payments=gateway))
    return app


def event(**fields: Any) -> bytes:
    body: dict[str, Any] = {"id": "evt_gate_1", "object": "event", "type": "payment_intent.succeeded",
                            "data": {"object": {"id": "pi_1", "object": "payment_intent", "amount": 100,
                                                "currency": "usd", "metadata": {}}}}
    body.update(fields)
    return json.dumps(body).encode()


@pytest.mark.parametrize("payload", [event(type=12), event(id=None),
                                     event(data={"object": {"id": "pi_1", "metadata": "a string"}}),
                                     event(data={"object": {"id": 5, "last_payment_error": [1]}}),
                                     event(data={"object": "not an object"})])
def test_a_signed_webhook_with_wrong_field_types_is_a_400_that_changes_nothing(stripe_app, ctx, payload):
    from sqlalchemy import func, select

    from lib.adapters.db.schema import campaigns as c

    def stored() -> int:
        with ctx.uow(write=False) as uow:
            return int(uow.conn.execute(select(func.count()).select_from(c.webhook_events)).scalar_one())

    before = stored()
    reply = call(stripe_app, "POST", "/webhooks/stripe", chunks=iter([payload]),
                 headers={"stripe-signature": signed(payload, int(time.time()))})
    assert reply.status == 400 and reply.headers["content-type"] == "application/json", reply.body
    assert reply.json() == {"error": "invalid webhook"}
    assert stored() == before


@pytest.mark.parametrize(("skew", "status"), [(-60, 200), (0, 200), (240, 200), (-3600, 400), (3600, 400),
                                              (10**8, 400)])
def test_webhook_timestamps_too_old_or_too_far_in_the_future_are_refused(stripe_app, skew, status):
    payload = event(id=f"evt_skew_{skew}", type="customer.created",
                    data={"object": {"id": "cus_1", "object": "customer"}})
    reply = call(stripe_app, "POST", "/webhooks/stripe", chunks=iter([payload]),
                 headers={"stripe-signature": signed(payload, int(time.time()) + skew)})
    assert reply.status == status, reply.body


def test_on_https_the_cookie_is_host_prefixed_secure_and_lives_as_long_as_the_policy(app, ctx, monkeypatch):
    import dataclasses
    from datetime import timedelta
    from http.cookies import SimpleCookie

    from lib.domain.accounts import SessionPolicy
    from lib.services.accounts import auth
    from lib.services.accounts.cookies import SECURE_COOKIE_NAME, unsign

    policy = SessionPolicy(max_age=timedelta(days=9), idle_timeout=timedelta(days=2))
    secure = dataclasses.replace(ctx, cookie_secure=True, session_policy=policy)
    monkeypatch.setattr(routes, "app_context", lambda: secure)
    auth.sign_up(secure, email="host-prefix@example.com", display_name="Hosted", password="correct horse battery")
    signed = auth.sign_in(secure, email="host-prefix@example.com", password="correct horse battery")
    body = json.dumps({"code": signed.handoff_code}).encode()
    reply = call(app, "POST", "/auth/session", chunks=iter([body]))
    assert reply.status == 200
    header = reply.headers["set-cookie"]
    jar: SimpleCookie = SimpleCookie()
    jar.load(header)
    morsel = jar[SECURE_COOKIE_NAME]
    assert morsel["secure"] and morsel["httponly"] and morsel["path"] == "/" and not morsel["domain"]
    assert int(morsel["max-age"]) == 9 * 24 * 3600
    token = unsign(morsel.value, secure.cookie_secret)
    assert token and auth.resolve_session(secure, token) is not None

    out = call(app, "POST", "/auth/signout", headers={"cookie": f"{SECURE_COOKIE_NAME}={morsel.value}"})
    assert out.status == 200 and out.headers["set-cookie"].startswith(f"{SECURE_COOKIE_NAME}=")
    assert auth.resolve_session(secure, token) is None
