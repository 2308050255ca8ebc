"""Starlette routes: /healthz, /api/ideas, /api/listings, and the sign-in cookie handoff."""

from __future__ import annotations

import logging
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from lib.bootstrap import StartupError
from lib.domain.errors import TokenInvalid
from lib.domain.ideas import PUBLIC_STATUSES, IdeaStatus
from lib.runtime import app_context
from lib.services import health
from lib.services.accounts import auth
from lib.services.accounts.cookies import COOKIE_MAX_AGE, COOKIE_NAME, sign, unsign
from lib.services.commerce import shop
from lib.services.ideas import browse
from lib.services.payments import webhooks
from lib.services.payments.ports import InvalidWebhook, PaymentUnavailable

log = logging.getLogger(__name__)
API_MAX_LIMIT = 100


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


def _int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isdigit():
        raise ValueError(f"{name} must be a whole number")
    return max(low, min(int(raw), high))


def _idea_json(card: Any) -> dict[str, Any]:
    return {
        "id": card.id, "title": card.title, "pitch": card.pitch, "status": card.status.value,
        "category": card.category_slug, "supporters": card.support_count,
        "threshold": card.threshold, "author": card.author_name, "currency": card.currency,
        "published_at": card.published_at.isoformat() if card.published_at else None,
        "support_deadline": card.support_deadline.isoformat() if card.support_deadline else None,
        "url": f"/idea?id={card.id}",
    }


def api_ideas(request: Request) -> Response:
    """Public ideas: ?feed (new, hot, top, closing, almost), ?limit (1-100), ?offset, ?status, ?category, ?q."""
    try:
        limit = _int_param(request, "limit", 20, 1, API_MAX_LIMIT)
        offset = _int_param(request, "offset", 0, 0, 10**9)
        status_text = request.query_params.get("status")
        statuses = None
        if status_text:
            status = IdeaStatus(status_text)
            if status not in PUBLIC_STATUSES:
                raise ValueError(f"status {status_text!r} is not public")
            statuses = [status]
    except ValueError as exc:
        return JSONResponse({"error": str(exc)}, status_code=400)
    feed = request.query_params.get("feed", "new")
    if feed not in browse.FEEDS:
        return JSONResponse({"error": f"feed must be one of {', '.join(browse.FEEDS)}"}, status_code=400)
    cards, counted = browse.browse_ideas(
        app_context(), feed=feed, statuses=statuses, query=request.query_params.get("q", ""),
        category=request.query_params.get("category") or None, limit=limit, offset=offset)
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
    try:
        limit = _int_param(request, "limit", 20, 1, API_MAX_LIMIT)
        offset = _int_param(request, "offset", 0, 0, 10**9)
    except ValueError as exc:
        return JSONResponse({"error": str(exc)}, status_code=400)
    cards = shop.browse(app_context(), query=request.query_params.get("q", ""),
                        category=request.query_params.get("category") or None, limit=limit + 1, offset=offset)
    next_offset = offset + limit if len(cards) > limit else None
    return JSONResponse({"items": [_listing_json(c) for c in cards[:limit]], "limit": limit, "offset": offset,
                         "next_offset": next_offset})


async def claim_session(request: Request) -> Response:
    """Exchange the one-time handoff code from the sign-in page for an HttpOnly cookie."""
    if not _same_origin(request):
        return JSONResponse({"error": "cross-site request"}, status_code=403)
    try:
        body = await request.json()
        code = str(body.get("code", ""))
    except (ValueError, AttributeError):
        return JSONResponse({"error": "expected JSON with a code"}, status_code=400)
    ctx = await run_in_threadpool(app_context)
    try:
        token = await run_in_threadpool(auth.claim_handoff, ctx, code)
    except TokenInvalid:
        return JSONResponse({"error": "invalid or used code"}, status_code=400)
    response = JSONResponse({"status": "ok"})
    response.set_cookie(COOKIE_NAME, sign(token, ctx.cookie_secret), max_age=COOKIE_MAX_AGE,
                        httponly=True, samesite="lax", secure=ctx.cookie_secure, path="/")
    return response


async def sign_out(request: Request) -> Response:
    """Revoke the cookie's session (if any) and delete the cookie."""
    if not _same_origin(request):
        return JSONResponse({"error": "cross-site request"}, status_code=403)
    ctx = await run_in_threadpool(app_context)
    token = unsign(request.cookies.get(COOKIE_NAME), ctx.cookie_secret)
    if token:
        await run_in_threadpool(auth.revoke_by_token, ctx, token)
    response = JSONResponse({"status": "ok"})
    response.delete_cookie(COOKIE_NAME, path="/", httponly=True, samesite="lax",
                           secure=ctx.cookie_secure)
    return response


async def stripe_webhook(request: Request) -> Response:
    """Stripe events: the signature is checked on the raw body before anything else."""
    payload = await request.body()
    ctx = await run_in_threadpool(app_context)
    try:
        outcome = await run_in_threadpool(webhooks.handle_webhook, ctx, payload,
                                          request.headers.get("stripe-signature"))
    except InvalidWebhook:
        return JSONResponse({"error": "invalid signature"}, status_code=400)
    except PaymentUnavailable:
        return JSONResponse({"error": "payments are not configured"}, status_code=404)
    return JSONResponse({"status": outcome})


ROUTES = [
    Route("/healthz", healthz, methods=["GET"]),
    Route("/api/ideas", api_ideas, methods=["GET"]),
    Route("/api/listings", api_listings, methods=["GET"]),
    Route("/auth/session", claim_session, methods=["POST"]),
    Route("/auth/signout", sign_out, methods=["POST"]),
    Route("/webhooks/stripe", stripe_webhook, methods=["POST"]),
]


async def server_error(request: Request, exc: Exception) -> Response:
    """An unexpected failure: JSON for our own routes (no traceback), text elsewhere."""
    log.error("unhandled error on %s: %s", request.url.path, exc, exc_info=exc)
    if request.url.path.startswith(("/api/", "/auth/", "/healthz")):
        return JSONResponse({"error": "the service is unavailable, try again later"}, status_code=503)
    return Response("Internal Server Error", status_code=500, media_type="text/plain")


EXCEPTION_HANDLERS = {Exception: server_error}
