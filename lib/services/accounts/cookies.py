"""The sign-in cookie: a random token plus an HMAC, so a forged value is refused unread."""

from __future__ import annotations

import hashlib
import hmac

COOKIE_NAME = "cocreate_session"
# On https the cookie carries the __Host- prefix: browsers then insist on Secure, Path=/ and no
# Domain, so neither a sibling subdomain nor a plain-http page can set or overwrite it.
SECURE_COOKIE_NAME = f"__Host-{COOKIE_NAME}"
COOKIE_MAX_AGE = 30 * 24 * 3600  # the default absolute lifetime (COCREATE_SESSION_MAX_DAYS)


def cookie_name(secure: bool) -> str:
    """The cookie's name for a deployment served over https (secure) or plain http."""
    return SECURE_COOKIE_NAME if secure else COOKIE_NAME


def _mac(token: str, secret: str) -> bytes:
    # surrogatepass: a cookie value is whatever a client sent, lone surrogates included.
    return hmac.new(secret.encode(), token.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest().encode()


def sign(token: str, secret: str) -> str:
    return f"{token}.{_mac(token, secret).decode()}"


def unsign(value: str | None, secret: str) -> str | None:
    """The token inside a signed value, or None when the value is missing or forged."""
    if not value or "." not in value:
        return None
    token, _, mac = value.rpartition(".")
    # Bytes, not str: compare_digest raises TypeError on a str with non-ASCII characters.
    return token if hmac.compare_digest(mac.encode("utf-8", "surrogatepass"), _mac(token, secret)) else None
