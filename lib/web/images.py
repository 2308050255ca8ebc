"""GET /images/{key}: stored images from the local image store, cached by browsers for good.

Keys are content-addressed (a SHA-256 of the bytes), so a key's file never changes: browsers and
proxies may keep it a year without asking again. Drawing images as links to this route, instead of
handing Streamlit a file path, keeps every script run from decoding and re-encoding each picture.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response

from lib.runtime import app_context

IMMUTABLE = "public, max-age=31536000, immutable"
TYPES = {"webp": "image/webp", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}


async def media(request: Request) -> Response:
    key = str(request.path_params.get("key", ""))
    kind = TYPES.get(key.rsplit(".", 1)[-1]) if "." in key else None
    ctx = await run_in_threadpool(app_context)
    if kind is None or len(key) > 100 or not ctx.images.exists(key):
        return PlainTextResponse("not found", status_code=404)
    return FileResponse(ctx.images.path(key), media_type=kind,
                        headers={"Cache-Control": IMMUTABLE, "X-Content-Type-Options": "nosniff"})
