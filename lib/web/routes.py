"""Starlette routes: /healthz, /api/ideas, /api/listings, /images and the sign-in cookie handoff."""

from __future__ import annotations

import json
import logging
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from lib.bootstrap import StartupError
from lib.domain.errors import DomainError, TokenInvalid
from lib.domain.ideas import PUBLIC_STATUSES, IdeaStatus
from lib.i18n import LANGUAGES, translate
from lib.runtime import app_context
from lib.services import health
from lib.services.accounts import auth
from lib.services.accounts.cookies import cookie_name, sign, unsign
from lib.services.commerce import shop
from lib.services.ideas import browse
from lib.services.payments import webhooks
from lib.services.payments.ports import InvalidWebhook, PaymentUnavailable
from lib.web.images import media
from lib.web.live import listing_stock
from lib.web.params import BadRequest, choice_param, int_param, read_body, text_param

log = logging.getLogger(__name__)
API_MAX_LIMIT = 100
API_MAX_OFFSET = 1_000_000
MAX_QUERY = 200  # the services' own search cap
MAX_CATEGORY = 40  # categories.slug is String(40)
# Request body caps, checked before a body is read (lib.web.params.read_body). A Stripe event is
# one API object plus a little envelope: a PaymentIntent with full metadata (50 keys of 500
# characters) and a last_payment_error is some 30 KiB, typical events are 2-10 KiB. 256 KiB leaves
# a wide margin and still bounds what one request can make the server hold.
WEBHOOK_MAX_BYTES = 256 * 1024
# {"code": "<43 URL-safe characters>"} is about 55 bytes; sign-out sends {}.
AUTH_MAX_BYTES = 512


def _same_origin(request: Request) -> bool:
    """Browsers send Origin on POST; refuse cross-site posts to the cookie routes."""
    origin = request.headers.get("origin")
    return origin is None or origin.split("://", 1)[-1] == request.headers.get("host")


def healthz(request: Request) -> Response:
    try:
        ctx = app_context()
        health.check_database(ctx)
    except StartupError as exc:
        return JSONResponse({"status": "error", "error": str(exc)}, status_code=503)
    except Exception as exc:  # noqa: BLE001 - health reports any failure as unhealthy
        log.warning("health check failed: %s", exc)
        return JSONResponse({"status": "error", "error": type(exc).__name__}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})


def _idea_json(card: Any) -> dict[str, Any]:
    return {
        "id": card.id, "title": card.title, "pitch": card.pitch, "status": card.status.value,
        "category": card.category_slug, "supporters": card.support_count,
        "threshold": card.threshold, "author": card.author_name, "currency": card.currency,
        "published_at": card.published_at.isoformat() if card.published_at else None,
        "support_deadline": card.support_deadline.isoformat() if card.support_deadline else None,
        "url": f"/idea?id={card.id}",
    }


PUBLIC_STATUS_VALUES = sorted(s.value for s in PUBLIC_STATUSES)


def _refused(exc: DomainError) -> Response:
    """A 400 carrying the error's English message (a JSON API has no session language)."""
    return JSONResponse({"error": translate("en", exc.key, **exc.params)}, status_code=400)


def api_ideas(request: Request) -> Response:
    """Public ideas: ?feed (new, hot, top, closing, almost), ?limit (1-100), ?offset, ?status, ?category, ?q."""
    params = request.query_params
    try:
        limit = int_param(params, "limit", 20, 1, API_MAX_LIMIT)
        offset = int_param(params, "offset", 0, 0, API_MAX_OFFSET)
        status = choice_param(params, "status", PUBLIC_STATUS_VALUES, None)
        feed = choice_param(params, "feed", browse.FEEDS, "new") or "new"
        query = text_param(params, "q", MAX_QUERY)
        category = text_param(params, "category", MAX_CATEGORY) or None
    except BadRequest as exc:
        return exc.response()
    statuses = [IdeaStatus(status)] if status else None
    try:
        cards, counted = browse.browse_ideas(
            app_context(), feed=feed, statuses=statuses, query=query, category=category, limit=limit, offset=offset)
    except DomainError as exc:  # text the service's own gate refuses (e.g. bidi controls in q)
        return _refused(exc)
    total = counted or 0
    next_offset = offset + limit if offset + limit < total else None
    return JSONResponse({"items": [_idea_json(c) for c in cards], "total": total,
                         "limit": limit, "offset": offset, "next_offset": next_offset})


def _listing_json(card: Any) -> dict[str, Any]:
    return {
        "id": card.id, "title": card.title, "price": card.price.amount, "currency": card.price.currency,
        "units_left": card.units_left, "starts_at": card.starts_at.isoformat() if card.starts_at else None,
        "per_account_limit": card.per_account_limit, "category": card.category_slug,
        "rating": card.rating_avg, "rating_count": card.rating_count, "url": f"/listing?id={card.id}",
    }


def api_listings(request: Request) -> Response:
    """Listings on sale (upcoming drops included): ?limit (1-100), ?offset, ?category, ?q.
    Prices are integers in the currency's minor units."""
    params = request.query_params
    try:
        limit = int_param(params, "limit", 20, 1, API_MAX_LIMIT)
        offset = int_param(params, "offset", 0, 0, API_MAX_OFFSET)
        query = text_param(params, "q", MAX_QUERY)
        category = text_param(params, "category", MAX_CATEGORY) or None
    except BadRequest as exc:
        return exc.response()
    try:
        cards = shop.browse(app_context(), query=query, category=category, limit=limit + 1, offset=offset)
    except DomainError as exc:
        return _refused(exc)
    next_offset = offset + limit if len(cards) > limit else None
    return JSONResponse({"items": [_listing_json(c) for c in cards[:limit]], "limit": limit, "offset": offset,
                         "next_offset": next_offset})


async def _same_site_json(request: Request) -> dict[str, Any] | Response:
    """The JSON object a same-origin POST carries (read up to AUTH_MAX_BYTES; anything but an object
    reads as empty), or the response that refuses the request."""
    if not _same_origin(request):
        return JSONResponse({"error": "cross-site request"}, status_code=403)
    try:
        body = json.loads(await read_body(request, AUTH_MAX_BYTES))
    except BadRequest as exc:
        return exc.response()
    except ValueError:  # not UTF-8, not JSON
        return {}
    return body if isinstance(body, dict) else {}


async def claim_session(request: Request) -> Response:
    """Exchange the one-time handoff code from the sign-in page for an HttpOnly cookie."""
    body = await _same_site_json(request)
    if isinstance(body, Response):
        return body
    code = body.get("code")
    if not isinstance(code, str):
        return JSONResponse({"error": "expected JSON with a code"}, status_code=400)
    ctx = await run_in_threadpool(app_context)
    try:
        token = await run_in_threadpool(auth.claim_handoff, ctx, code)
    except TokenInvalid:
        return JSONResponse({"error": "invalid or used code"}, status_code=400)
    response = JSONResponse({"status": "ok"})
    # No Domain attribute, Path=/ and (on https) Secure: what the __Host- prefix requires.
    response.set_cookie(cookie_name(ctx.cookie_secure), sign(token, ctx.cookie_secret),
                        max_age=int(ctx.session_policy.max_age.total_seconds()),
                        httponly=True, samesite="lax", secure=ctx.cookie_secure, path="/")
    return response


async def sign_out(request: Request) -> Response:
    """Revoke the cookie's session (if any) and delete the cookie."""
    if not _same_origin(request):
        return JSONResponse({"error": "cross-site request"}, status_code=403)
    try:
        await read_body(request, AUTH_MAX_BYTES)  # ignored, but never read beyond the cap
    except BadRequest as exc:
        return exc.response()
    ctx = await run_in_threadpool(app_context)
    name = cookie_name(ctx.cookie_secure)
    token = unsign(request.cookies.get(name), ctx.cookie_secret)
    if token:
        await run_in_threadpool(auth.revoke_by_token, ctx, token)
    response = JSONResponse({"status": "ok"})
    response.delete_cookie(name, path="/", httponly=True, samesite="lax", secure=ctx.cookie_secure)
    return response


LANGUAGE_COOKIE = "cocreate_lang"  # lib.ui.language.COOKIE reads it back
LANGUAGE_COOKIE_DAYS = 365


async def remember_language(request: Request) -> Response:
    """Keep a visitor's language choice in a cookie, for reloads and new tabs."""
    body = await _same_site_json(request)
    if isinstance(body, Response):
        return body
    lang = body.get("lang")
    if not isinstance(lang, str) or lang not in LANGUAGES:
        return JSONResponse({"error": f"expected JSON with a lang of {sorted(LANGUAGES)}"}, status_code=400)
    ctx = await run_in_threadpool(app_context)
    response = JSONResponse({"status": "ok"})
    response.set_cookie(LANGUAGE_COOKIE, lang, max_age=LANGUAGE_COOKIE_DAYS * 86400, httponly=True,
                        samesite="lax", secure=ctx.cookie_secure, path="/")
    return response


async def stripe_webhook(request: Request) -> Response:
    """Stripe events: the signature is checked on the raw body before anything else."""
    try:
        payload = await read_body(request, WEBHOOK_MAX_BYTES)
    except BadRequest as exc:
        return exc.response()
    ctx = await run_in_threadpool(app_context)
    try:
        outcome = await run_in_threadpool(webhooks.handle_webhook, ctx, payload,
                                          request.headers.get("stripe-signature"))
    except InvalidWebhook:  # a bad signature, a stale or future timestamp, fields of the wrong type
        return JSONResponse({"error": "invalid webhook"}, status_code=400)
    except PaymentUnavailable:
        return JSONResponse({"error": "payments are not configured"}, status_code=404)
    return JSONResponse({"status": outcome})


ROUTES = [
    Route("/healthz", healthz, methods=["GET"]),
    Route("/api/ideas", api_ideas, methods=["GET"]),
    Route("/api/listings", api_listings, methods=["GET"]),
    Route("/api/listings/{listing_id:int}/stock", listing_stock, methods=["GET"]),
    Route("/auth/session", claim_session, methods=["POST"]),
    Route("/auth/signout", sign_out, methods=["POST"]),
    Route("/prefs/language", remember_language, methods=["POST"]),
    Route("/webhooks/stripe", stripe_webhook, methods=["POST"]),
    Route("/images/{key}", media, methods=["GET"]),
]


async def server_error(request: Request, exc: Exception) -> Response:
    """An unexpected failure: JSON for our own routes (no traceback), text elsewhere."""
    log.error("unhandled error on %s: %s", request.url.path, exc, exc_info=exc)
    if request.url.path.startswith(("/api/", "/auth/", "/healthz")):
        return JSONResponse({"error": "the service is unavailable, try again later"}, status_code=503)
    return Response("Internal Server Error", status_code=500, media_type="text/plain")


EXCEPTION_HANDLERS = {Exception: server_error}
