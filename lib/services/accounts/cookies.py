"""The sign-in cookie: a random token plus an HMAC, so a forged value is refused unread."""

from __future__ import annotations

import hashlib
import hmac

COOKIE_NAME = "cocreate_session"
COOKIE_MAX_AGE = 30 * 24 * 3600


def sign(token: str, secret: str) -> str:
    mac = hmac.new(secret.encode(), token.encode(), hashlib.sha256).hexdigest()
    return f"{token}.{mac}"


def unsign(value: str | None, secret: str) -> str | None:
    """The token inside a signed value, or None when the value is missing or forged."""
    if not value or "." not in value:
        return None
    token, _, mac = value.rpartition(".")
    expected = hmac.new(secret.encode(), token.encode(), hashlib.sha256).hexdigest()
    return token if hmac.compare_digest(mac, expected) else None
