"""Security headers on every response, the app's pages included, and an Origin check on websockets.

The Content-Security-Policy is the one Streamlit 1.67 was observed to work under in Chromium
(tests/e2e/test_security_headers.py loads Discover, an idea and a listing with it, signs in, and
asserts no violation): Streamlit's index.html has one inline script (allowed by its hash, read
from the installed Streamlit at start-up), its protobuf decoder compiles WebAssembly
(`'wasm-unsafe-eval'`, which allows no JavaScript eval), st.components.v2 imports a component's
JavaScript from a blob: URL, it styles inline (emotion), and page icons load from
fonts.gstatic.com. Stripe.js' origin (and Stripe's API and 3-D Secure frames) is
allowed only when Stripe is configured.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lib.config import Settings, load_settings

log = logging.getLogger(__name__)

BASE_HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"strict-origin-when-cross-origin",
    b"x-frame-options": b"SAMEORIGIN",
    b"permissions-policy": b"camera=(), microphone=(), geolocation=()",
}
# JSON answers are data, never a document: nothing loads from them, nothing frames them, and a
# browser that opens one shows it as a file rather than rendering it.
JSON_HEADERS = {
    b"content-security-policy": b"default-src 'none'; frame-ancestors 'none'; sandbox",
    b"content-disposition": b'inline; filename="response.json"',
}
HSTS = b"max-age=63072000; includeSubDomains"  # two years, only ever sent for an https base URL


def origin_of(url: str) -> str | None:
    """scheme://host[:port] of a URL, lower-cased, default ports dropped; None when it has none."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    default = {"http": 80, "https": 443}[parts.scheme]
    try:
        port = parts.port
    except ValueError:
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


STRIPE_ORIGIN = "https://js.stripe.com"


def inline_script_hashes(html: str) -> list[str]:
    """CSP hash sources ('sha256-...') for each inline <script> of a page (Streamlit's index.html)."""
    bodies = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S | re.I)
    return [f"'sha256-{base64.b64encode(hashlib.sha256(b.encode()).digest()).decode()}'" for b in bodies]


def content_security_policy(stripe_js_url: str | None, stripe_api_base: str | None = None,
                            script_hashes: Sequence[str] = ()) -> str:
    # blob: is how st.components.v2 loads a component's inline JavaScript (the cookie bridge, the
    # card entry); only a script already running on this origin can mint such a URL.
    scripts = " ".join(["'self'", *script_hashes, "'wasm-unsafe-eval'", "blob:"])
    frames = connects = ""
    if stripe_js_url and (js := origin_of(stripe_js_url)):
        scripts += f" {js}"
        frames = f" {js}"
        connects = f" {js}"
        if js == STRIPE_ORIGIN:  # Stripe.js talks to its API and opens 3-D Secure frames
            frames += " https://hooks.stripe.com"
            connects += " https://api.stripe.com"
        if stripe_api_base and (api := origin_of(stripe_api_base)) and api != js:
            connects += f" {api}"
    return "; ".join([
        "default-src 'self'",
        f"script-src {scripts}",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob: https://fonts.gstatic.com",
        "font-src 'self' data:",
        f"connect-src 'self'{connects}",
        f"frame-src 'self'{frames}",
        "worker-src 'self' blob:",
        "media-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ])


@dataclass(frozen=True)
class Policy:
    """Everything the middleware decides from the settings, computed once."""

    page_headers: dict[bytes, bytes]
    base_origin: str | None

    @classmethod
    def from_settings(cls, settings: Settings | None, script_hashes: Sequence[str] = ()) -> Policy:
        headers = dict(BASE_HEADERS)
        stripe = settings is not None and bool(settings.stripe_secret_key)
        headers[b"content-security-policy"] = content_security_policy(
            settings.stripe_js_url if settings and stripe else None,
            settings.stripe_api_base if settings and stripe else None, script_hashes).encode()
        if settings is not None and settings.cookie_secure:
            headers[b"strict-transport-security"] = HSTS
        return cls(headers, origin_of(settings.base_url) if settings is not None else None)

    def origin_allowed(self, origin: str, host: str | None, scheme: str) -> bool:
        """The configured base URL's origin, or exactly the origin the browser connected to (the
        page this server served): not another port of the same host, not another site."""
        wanted = origin_of(origin)
        if wanted is None:
            return False
        if wanted == self.base_origin:
            return True
        http_scheme = "https" if scheme in ("wss", "https") else "http"
        return host is not None and wanted == origin_of(f"{http_scheme}://{host}")


def _default_settings() -> Settings | None:
    try:
        return load_settings()
    except Exception as exc:  # noqa: BLE001 - the app reports bad settings itself; headers still go out
        log.warning("security headers without settings: %s", exc)
        return None


class SecurityHeadersMiddleware:
    """Pure ASGI (not BaseHTTPMiddleware) so websockets and streaming pass untouched."""

    def __init__(self, app: ASGIApp, settings: Callable[[], Settings | None] = _default_settings,
                 script_hashes: Sequence[str] = ()) -> None:
        self.app = app
        self._settings = settings
        self._script_hashes = tuple(script_hashes)
        self._policy: Policy | None = None

    @property
    def policy(self) -> Policy:
        if self._policy is None:  # a benign race: both threads compute the same value
            self._policy = Policy.from_settings(self._settings(), self._script_hashes)
        return self._policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = self.policy

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                is_json = any(name.lower() == b"content-type" and value.startswith(b"application/json")
                              for name, value in headers)
                wanted = {**policy.page_headers, **(JSON_HEADERS if is_json else {})}
                message["headers"] = headers + [(k, v) for k, v in wanted.items() if k not in present]
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse a handshake from a foreign page (Streamlit admits any port of localhost and of
        the server's own addresses): the socket carries the visitor's cookies."""
        headers = dict(scope.get("headers") or [])
        origin = headers.get(b"origin")
        host = headers.get(b"host")
        if origin is not None and not self.policy.origin_allowed(
                origin.decode("latin-1"), host.decode("latin-1") if host else None, scope.get("scheme", "ws")):
            message = await receive()
            if message["type"] == "websocket.connect":
                await send({"type": "websocket.close", "code": 1008})  # before accept: HTTP 403
            return
        await self.app(scope, receive, send)
