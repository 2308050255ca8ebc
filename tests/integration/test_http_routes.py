"""The server's own HTTP routes, against a real `streamlit run` of the app and its demo marketplace."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from lib.adapters.db.schema import core as t
from lib.domain.ideas import PUBLIC_STATUSES
from lib.services.accounts import auth
from lib.services.accounts.cookies import COOKIE_MAX_AGE, COOKIE_NAME, unsign
from lib.services.commerce import shop
from lib.services.context import AppContext, utcnow
from lib.services.ideas import browse
from tests.integration.support import HttpReply, http
from tests.server import services_of

PASSWORD = "correct horse battery"
PUBLIC = sorted(s.value for s in PUBLIC_STATUSES)
HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin"}


@pytest.fixture(scope="module")
def app_ctx(running_app) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    with services_of(running_app) as ctx:
        yield ctx


def get(app, path: str, **params: object) -> HttpReply:  # type: ignore[no-untyped-def]
    query = f"?{urlencode(params)}" if params else ""
    return http("GET", f"{app.url}{path}{query}")


def public_count(ctx: AppContext, *where) -> int:  # type: ignore[no-untyped-def]
    with ctx.uow(write=False) as uow:
        conn = uow.conn  # type: ignore[attr-defined]
        stmt = (select(func.count()).select_from(t.ideas.outerjoin(t.categories, t.categories.c.id ==
                                                                   t.ideas.c.category_id))
                .where(t.ideas.c.status.in_(PUBLIC), t.ideas.c.hidden.is_(False), *where))
        return int(conn.execute(stmt).scalar_one())


def cookie_from(reply: HttpReply):  # type: ignore[no-untyped-def]
    [header] = [h for h in reply.cookies() if h.startswith(f"{COOKIE_NAME}=")]
    jar: SimpleCookie = SimpleCookie()
    jar.load(header)
    return jar[COOKIE_NAME], header


# -- health and headers ----------------------------------------------------------------------------

def test_healthz_is_ok(running_app):
    reply = get(running_app, "/healthz")
    assert reply.status == 200
    assert reply.headers.get_content_type() == "application/json"
    assert reply.json()["status"] == "ok"


@pytest.mark.parametrize("path", ["/healthz", "/", "/api/ideas", "/no-such-route"])
def test_security_headers_on_routes_and_the_app_page(running_app, path):
    reply = get(running_app, path)
    for name, value in HEADERS.items():
        assert reply.headers.get(name) == value, name
    assert "frame-ancestors" in (reply.headers.get("Content-Security-Policy") or "")
    if path == "/":
        assert reply.status == 200 and b"<html" in reply.body.lower()


# -- /api/ideas ------------------------------------------------------------------------------------

def test_api_lists_only_public_ideas_and_walks_every_page(running_app, app_ctx):
    expected = public_count(app_ctx)
    assert expected >= 20
    seen: list[int] = []
    offset: int | None = 0
    while offset is not None:
        page = get(running_app, "/api/ideas", limit=7, offset=offset).json()
        assert page["limit"] == 7 and page["offset"] == offset and page["total"] == expected
        assert len(page["items"]) == min(7, expected - offset)
        assert {item["status"] for item in page["items"]} <= set(PUBLIC)
        seen += [item["id"] for item in page["items"]]
        assert page["next_offset"] == (offset + 7 if offset + 7 < expected else None)
        offset = page["next_offset"]
    assert len(seen) == len(set(seen)) == expected

    beyond = get(running_app, "/api/ideas", offset=expected + 5).json()
    assert beyond["items"] == [] and beyond["next_offset"] is None and beyond["total"] == expected


def test_api_caps_the_page_size(running_app, app_ctx):
    page = get(running_app, "/api/ideas", limit=100).json()
    assert page["limit"] == 100
    assert len(page["items"]) == min(100, public_count(app_ctx))
    for limit in (0, 101, 500):  # outside 1-100: said so, not silently changed
        reply = get(running_app, "/api/ideas", limit=limit)
        assert reply.status == 400
        assert reply.json() == {"error": "limit must be a whole number from 1 to 100"}


def test_api_item_shape(running_app):
    [item] = get(running_app, "/api/ideas", limit=1).json()["items"]
    assert set(item) >= {"id", "title", "pitch", "status", "category", "supporters", "threshold", "author",
                         "currency", "published_at", "support_deadline", "url"}
    assert item["url"] == f"/idea?id={item['id']}"
    assert "password_hash" not in str(item) and "email" not in item


@pytest.mark.parametrize("status", ["campaign", "published", "listed", "expired"])
def test_api_filters_by_status(running_app, app_ctx, status):
    page = get(running_app, "/api/ideas", status=status, limit=100).json()
    assert page["total"] == public_count(app_ctx, t.ideas.c.status == status) > 0
    assert {item["status"] for item in page["items"]} == {status}


def test_api_filters_by_category_and_status_together(running_app, app_ctx):
    kitchen = get(running_app, "/api/ideas", category="kitchen", limit=100).json()
    assert kitchen["total"] == public_count(app_ctx, t.categories.c.slug == "kitchen") > 0
    assert {item["category"] for item in kitchen["items"]} == {"kitchen"}

    both = get(running_app, "/api/ideas", category="kitchen", status="published", limit=100).json()
    expected = public_count(app_ctx, t.categories.c.slug == "kitchen", t.ideas.c.status == "published")
    assert both["total"] == expected > 0
    assert all(i["category"] == "kitchen" and i["status"] == "published" for i in both["items"])

    assert get(running_app, "/api/ideas", category="no-such-category").json()["total"] == 0


@pytest.mark.parametrize(("q", "title"), [("DRIPPER", "Collapsible pour-over coffee dripper"),
                                          ("마사지기", "휴대용 손목 마사지기"),
                                          ("leak-proof", "Leak-proof travel toiletry bottles")])
def test_api_search_finds_by_words_in_any_case_and_script(running_app, q, title):
    page = get(running_app, "/api/ideas", q=q).json()
    assert [item["title"] for item in page["items"]] == [title]
    assert page["total"] == 1


@pytest.mark.parametrize("q", ["%", "_", "laser pointer", "Rain cover for strollers", "zzzz-nothing"])
def test_api_search_treats_wildcards_literally_and_never_reveals_private_ideas(running_app, q):
    """'%' and '_' are not LIKE wildcards; rejected and draft ideas stay private even by title."""
    page = get(running_app, "/api/ideas", q=q).json()
    assert page == {"items": [], "total": 0, "limit": 20, "offset": 0, "next_offset": None}


@pytest.mark.parametrize("params", [{"limit": "abc"}, {"offset": "-1"}, {"limit": "1.5"},
                                    {"status": "draft"}, {"status": "pending_review"}, {"status": "bogus"},
                                    {"feed": "bogus"}])
def test_api_bad_parameters_are_400_json(running_app, params):
    reply = get(running_app, "/api/ideas", **params)
    assert reply.status == 400
    assert reply.headers.get_content_type() == "application/json"
    assert reply.json()["error"]


# -- the sign-in cookie handoff --------------------------------------------------------------------

def test_bogus_handoff_code_is_400_without_a_cookie(running_app):
    for body in ({"code": "bogus"}, {"code": ""}, {}, ["code"]):
        reply = http("POST", f"{running_app.url}/auth/session", body=body)
        assert reply.status == 400, body
        assert reply.cookies() == []
    reply = http("POST", f"{running_app.url}/auth/session", raw=b"{not json",
                 headers={"Content-Type": "application/json"})
    assert reply.status == 400 and reply.cookies() == []


def test_handoff_sets_an_httponly_cookie_once(running_app, app_ctx):
    auth.sign_up(app_ctx, email="web1@example.com", display_name="Web One", password=PASSWORD)
    signed = auth.sign_in(app_ctx, email="web1@example.com", password=PASSWORD)

    reply = http("POST", f"{running_app.url}/auth/session", body={"code": signed.handoff_code})
    assert reply.status == 200 and reply.json() == {"status": "ok"}
    morsel, header = cookie_from(reply)
    assert morsel["httponly"] is True
    assert morsel["samesite"].lower() == "lax"
    assert morsel["path"] == "/"
    assert int(morsel["max-age"]) == COOKIE_MAX_AGE
    assert not morsel["secure"]  # http://localhost base URL; https deployments get Secure
    assert "httponly" in header.lower()

    token = unsign(morsel.value, app_ctx.cookie_secret)
    assert token is not None
    resolved = auth.resolve_session(app_ctx, token)
    assert resolved is not None and resolved[1] == signed.session_id

    again = http("POST", f"{running_app.url}/auth/session", body={"code": signed.handoff_code})
    assert again.status == 400 and again.cookies() == []


def test_cross_origin_posts_are_refused_and_consume_nothing(running_app, app_ctx):
    auth.sign_up(app_ctx, email="web2@example.com", display_name="Web Two", password=PASSWORD)
    signed = auth.sign_in(app_ctx, email="web2@example.com", password=PASSWORD)
    evil = {"Origin": "http://evil.example"}

    refused = http("POST", f"{running_app.url}/auth/session", body={"code": signed.handoff_code}, headers=evil)
    assert refused.status == 403 and refused.cookies() == []

    same_site = http("POST", f"{running_app.url}/auth/session", body={"code": signed.handoff_code},
                     headers={"Origin": running_app.url})
    assert same_site.status == 200
    morsel, _ = cookie_from(same_site)

    cookie = {"Cookie": f"{COOKIE_NAME}={morsel.value}"}
    refused = http("POST", f"{running_app.url}/auth/signout", headers={**evil, **cookie})
    assert refused.status == 403
    assert auth.session_is_live(app_ctx, signed.session_id)


def test_signout_deletes_the_cookie_and_revokes_that_session_only(running_app, app_ctx):
    auth.sign_up(app_ctx, email="web3@example.com", display_name="Web Three", password=PASSWORD)
    mine = auth.sign_in(app_ctx, email="web3@example.com", password=PASSWORD)
    other = auth.sign_in(app_ctx, email="web3@example.com", password=PASSWORD)
    morsel, _ = cookie_from(http("POST", f"{running_app.url}/auth/session", body={"code": mine.handoff_code}))
    other_token = auth.claim_handoff(app_ctx, other.handoff_code)

    reply = http("POST", f"{running_app.url}/auth/signout", headers={"Cookie": f"{COOKIE_NAME}={morsel.value}"})

    assert reply.status == 200
    deleted, _ = cookie_from(reply)
    assert deleted.value in ("", '""') and int(deleted["max-age"]) == 0
    assert not auth.session_is_live(app_ctx, mine.session_id)
    assert auth.resolve_session(app_ctx, unsign(morsel.value, app_ctx.cookie_secret) or "") is None
    assert auth.resolve_session(app_ctx, other_token) is not None  # the other browser stays in


def test_signout_ignores_a_forged_cookie(running_app, app_ctx):
    auth.sign_up(app_ctx, email="web4@example.com", display_name="Web Four", password=PASSWORD)
    signed = auth.sign_in(app_ctx, email="web4@example.com", password=PASSWORD)
    token = auth.claim_handoff(app_ctx, signed.handoff_code)

    forged = f"{token}.{'0' * 64}"  # the right token, without the server's signature
    reply = http("POST", f"{running_app.url}/auth/signout", headers={"Cookie": f"{COOKIE_NAME}={forged}"})
    assert reply.status == 200
    assert auth.session_is_live(app_ctx, signed.session_id)

    assert http("POST", f"{running_app.url}/auth/signout").status == 200  # no cookie at all: harmless


# -- hostile network: websocket origins, oversized bodies, headers on JSON ----------------------------

def ws_handshake(app, origin: str | None) -> str:  # type: ignore[no-untyped-def]
    """The status line the server answers a raw WebSocket handshake on /_stcore/stream with."""
    import base64
    import os
    import socket
    from urllib.parse import urlsplit

    where = urlsplit(app.url)
    lines = ["GET /_stcore/stream HTTP/1.1", f"Host: {where.netloc}", "Upgrade: websocket",
             "Connection: Upgrade", f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}",
             "Sec-WebSocket-Version: 13", "Sec-WebSocket-Protocol: streamlit"]
    if origin is not None:
        lines.append(f"Origin: {origin}")
    with socket.create_connection((where.hostname, where.port), timeout=30) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        return sock.recv(4096).split(b"\r\n", 1)[0].decode()


def test_the_websocket_refuses_foreign_origins_including_other_ports_of_this_host(running_app):
    from urllib.parse import urlsplit

    port = urlsplit(running_app.url).port
    for origin in (f"http://127.0.0.1:{port + 1}", "http://localhost:9999", "http://127.0.0.1",
                   "http://evil.example", f"https://127.0.0.1:{port}", "null", "http://127.0.0.1:x"):
        assert " 403 " in ws_handshake(running_app, origin) + " ", origin
    assert " 101 " in ws_handshake(running_app, running_app.url) + " "  # the page this server served
    assert " 101 " in ws_handshake(running_app, None) + " "  # not a browser: no cross-site risk


def raw_post(app, path: str, head: dict[str, str], chunks) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    """POST over a raw socket, sending chunks until the server answers; (status line, bytes sent)."""
    import socket
    from urllib.parse import urlsplit

    where = urlsplit(app.url)
    sent = 0
    with socket.create_connection((where.hostname, where.port), timeout=30) as sock:
        lines = [f"POST {path} HTTP/1.1", f"Host: {where.netloc}", *(f"{k}: {v}" for k, v in head.items())]
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        sock.setblocking(False)
        answer = b""
        for chunk in chunks:
            with contextlib.suppress(BlockingIOError):
                answer += sock.recv(4096)
            if answer:
                break
            try:
                sock.sendall(chunk)
                sent += len(chunk)
            except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                break
        sock.settimeout(30)
        while b"\r\n" not in answer:
            answer += sock.recv(4096)
    return answer.split(b"\r\n", 1)[0].decode(), sent


@pytest.mark.parametrize("path", ["/webhooks/stripe", "/auth/session"])
def test_an_endless_chunked_body_gets_a_413_long_before_it_ends(running_app, path):
    piece = b"x" * 65536
    framed = b"%x\r\n%s\r\n" % (len(piece), piece)
    status, sent = raw_post(running_app, path, {"Transfer-Encoding": "chunked", "Content-Type": "application/json"},
                            (framed for _ in range(16 * 1024)))  # 1 GiB if the server read it all
    assert " 413 " in status + " "
    assert sent < 64 * 2**20  # stopped after a few MiB of socket buffers at most


@pytest.mark.parametrize("path", ["/webhooks/stripe", "/auth/session", "/auth/signout"])
def test_a_declared_huge_body_is_refused_before_it_is_sent(running_app, path):
    status, sent = raw_post(running_app, path, {"Content-Length": str(100 * 2**20)}, iter([b""]))
    assert " 413 " in status + " " and sent == 0


def test_json_answers_are_data_not_documents(running_app):
    for path in ("/api/ideas", "/api/listings", "/healthz"):
        reply = get(running_app, path)
        assert reply.headers.get("Content-Disposition", "").startswith("inline; filename=")
        assert reply.headers.get("Content-Security-Policy") == "default-src 'none'; frame-ancestors 'none'; sandbox"
    page = get(running_app, "/")
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers.get("Content-Disposition") is None
    assert page.headers.get("Strict-Transport-Security") is None  # http base URL: no HSTS


@pytest.mark.parametrize(("path", "query"), [("/api/ideas", "q=%00"), ("/api/ideas", "category=%00"),
                                             ("/api/listings", "q=%00"), ("/api/listings", "category=%00"),
                                             ("/api/ideas", "limit=%C2%B2"), ("/api/ideas", "status=x")])
def test_nul_and_bad_values_are_a_clear_400_from_the_real_server(running_app, path, query):
    reply = http("GET", f"{running_app.url}{path}?{query}")
    assert reply.status == 400 and reply.headers.get_content_type() == "application/json"
    assert "invalid literal" not in reply.json()["error"] and "is not a valid" not in reply.json()["error"]


def test_stored_images_are_served_immutable_and_anything_else_is_refused(running_app, app_ctx):
    [card], _ = browse.browse_ideas(app_ctx, feed="new", limit=1)
    cover = card.cover_image
    assert cover and app_ctx.images.url(cover) == f"/images/{cover}"
    reply = get(running_app, f"/images/{cover}")
    assert reply.status == 200 and reply.headers["Content-Type"] == "image/webp"
    assert reply.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    with open(app_ctx.images.path(cover), "rb") as stored:
        assert reply.body == stored.read()
    for bad in ("0" * 64 + ".webp", cover.replace(".webp", ".exe"), "..%2F..%2Fcocreate.db"):
        assert get(running_app, f"/images/{bad}").status in (400, 404), bad
    outside = get(running_app, "/images/%2Fetc%2Fpasswd.png")  # not the route at all: the app's own page
    assert b"root:" not in outside.body and not outside.headers["Content-Type"].startswith("image/")


def test_a_listings_stock_can_be_polled_and_unknown_ones_are_404(running_app, app_ctx):
    [card] = shop.browse(app_ctx, limit=1)
    reply = get(running_app, f"/api/listings/{card.id}/stock")
    assert reply.status == 200 and reply.headers["Cache-Control"] == "public, max-age=1"
    assert reply.json() == {"units_left": card.units_left, "on_sale": card.units_left > 0 and card.started(utcnow())}
    for missing in ("999999", "0", str(2**40)):
        assert get(running_app, f"/api/listings/{missing}/stock").status == 404, missing


def test_a_language_choice_is_kept_in_a_cookie_for_a_year(running_app):
    reply = http("POST", f"{running_app.url}/prefs/language", body={"lang": "ko"}, headers={"Origin": running_app.url})
    assert reply.status == 200
    morsel = SimpleCookie(reply.cookies()[0])["cocreate_lang"]
    assert morsel.value == "ko" and morsel["path"] == "/" and morsel["samesite"].lower() == "lax"
    assert int(morsel["max-age"]) == 365 * 86400


@pytest.mark.parametrize("body", [{"lang": "xx"}, {"lang": ["ko"]}, {}, ["ko"]])
def test_a_language_cookie_is_only_one_of_ours_and_only_same_site(running_app, body):
    assert http("POST", f"{running_app.url}/prefs/language", body=body).status == 400
    refused = http("POST", f"{running_app.url}/prefs/language", body={"lang": "ko"},
                   headers={"Origin": "http://evil.example"})
    assert refused.status == 403 and refused.cookies() == []
