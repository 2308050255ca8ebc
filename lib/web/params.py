"""One gate for what HTTP clients send: query parameters and request bodies, with limits.

Every refusal is a `BadRequest` whose message is ours (never Python's own wording) and whose
status is the HTTP answer: 400 for a malformed parameter, 413 for a body over its cap.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse

MAX_TEXT_PARAM = 200


class BadRequest(Exception):
    """A request we refuse, with the message and status the client gets."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.status = message, status

    def response(self) -> JSONResponse:
        return JSONResponse({"error": self.message}, status_code=self.status)


def int_param(params: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    """ASCII digits only (no sign, no '²', no spaces), between low and high inclusive."""
    raw = params.get(name)
    if raw is None:
        return default
    problem = f"{name} must be a whole number from {low} to {high}"
    # str.isdigit() accepts '²' and other digits int() refuses; a length cap keeps int() cheap.
    if not raw or len(raw) > len(str(high)) + 1 or not (raw.isascii() and raw.isdigit()):
        raise BadRequest(problem)
    value = int(raw)
    if not low <= value <= high:
        raise BadRequest(problem)
    return value


def text_param(params: Mapping[str, str], name: str, max_length: int = MAX_TEXT_PARAM) -> str:
    """Printable text up to max_length characters: NUL, other control characters and lone
    surrogates are refused (PostgreSQL cannot store NUL; SQLite would match everything)."""
    raw = params.get(name)
    if raw is None:
        return ""
    if len(raw) > max_length:
        raise BadRequest(f"{name} must be at most {max_length} characters")
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in raw):
        raise BadRequest(f"{name} must not contain control characters")
    return raw


def choice_param(params: Mapping[str, str], name: str, choices: Iterable[str], default: str | None) -> str | None:
    """One of the known values (an empty value means the default)."""
    known = list(choices)
    raw = params.get(name)
    if not raw:
        return default
    if raw not in known:
        raise BadRequest(f"{name} must be one of {', '.join(known)}")
    return raw


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 once it passes `limit` bytes: a Content-Length over
    the cap is refused before reading anything, and a streamed body is read chunk by chunk and
    abandoned as soon as it is too long, so the server never holds more than limit + one chunk."""
    too_large = BadRequest(f"the request body must be at most {limit} bytes", status=413)
    declared = request.headers.get("content-length")
    if declared is not None:
        if not (declared.isascii() and declared.isdigit()):
            raise BadRequest("Content-Length must be a whole number")
        if int(declared) > limit:
            raise too_large
    body = bytearray()
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                raise too_large
    except ClientDisconnect as exc:
        raise BadRequest("the request body was not sent completely") from exc
    return bytes(body)
