"""The server's own HTTP routes, against a real `streamlit run` of the app and its demo marketplace."""

from __future__ import annotations

from collections.abc import Iterator
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from lib.adapters.db.schema import core as t
from lib.bootstrap import build_context
from lib.config import load_settings
from lib.domain.ideas import PUBLIC_STATUSES
from lib.services.accounts import auth
from lib.services.accounts.cookies import COOKIE_MAX_AGE, COOKIE_NAME, unsign
from lib.services.context import AppContext
from tests.conftest import fast_hasher
from tests.integration.support import HttpReply, http

PASSWORD = "correct horse battery"
PUBLIC = sorted(s.value for s in PUBLIC_STATUSES)
HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin"}


@pytest.fixture(scope="module")
def app_ctx(running_app) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    """Services over the running app's own database, with the settings the app itself reads."""
    from lib.adapters.db.engine import make_engine

    settings = load_settings(env={"COCREATE_DATA_DIR": str(running_app.data_dir),
                                  "COCREATE_RUN_JOBS_IN_APP": "false"})
    engine = make_engine(settings.database_url)
    yield build_context(settings, engine, hasher=fast_hasher())
    engine.dispose()


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
    page = get(running_app, "/api/ideas", limit=500).json()
    assert page["limit"] == 100
    assert len(page["items"]) == min(100, public_count(app_ctx))
    assert get(running_app, "/api/ideas", limit=0).json()["limit"] == 1


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
