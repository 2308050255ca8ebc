"""GET /api/listings: the shop as read-only JSON (both databases), called as the server calls it."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from starlette.requests import Request

from lib.domain.orders import ListingStatus
from lib.services.commerce import reviews, shop
from lib.services.context import utcnow
from lib.web import routes
from tests.shop.conftest import buy, deliver


def get(query: str = "") -> tuple[int, dict]:
    request = Request({"type": "http", "method": "GET", "path": "/api/listings", "headers": [],
                       "query_string": query.encode()})
    response = routes.api_listings(request)
    return response.status_code, json.loads(bytes(response.body))


@pytest.fixture
def api(pctx, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(routes, "app_context", lambda: pctx)
    return get


def test_listings_are_served_as_json(pctx, engine, maker, listing, person, api):
    starts = utcnow() + timedelta(days=2)
    listing_id = listing(stock=6, price=2500, starts_at=starts, per_account_limit=2)
    shop.update_listing(pctx, maker, listing_id, starts_at=None)
    buyer = person()
    deliver(engine, buy(pctx, buyer, listing_id, 2))
    shop.update_listing(pctx, maker, listing_id, starts_at=starts)
    status, body = api()
    assert status == 200
    [item] = body["items"]
    assert item["id"] == listing_id and item["price"] == 2500 and item["currency"] == "USD"
    assert item["units_left"] == 4 and item["per_account_limit"] == 2 and item["url"] == f"/listing?id={listing_id}"
    assert item["starts_at"].startswith(starts.strftime("%Y-%m-%dT%H:%M"))
    assert item["rating"] is None and item["rating_count"] == 0
    [order] = shop.my_purchase_state(pctx, buyer, listing_id).reviewable_order_ids
    reviews.add_review(pctx, buyer, order, 5, "")
    assert api()[1]["items"][0]["rating"] == 5.0
    assert api("q=no+such+thing")[1]["items"] == []
    assert api("limit=1&offset=1")[1] == {"items": [], "limit": 1, "offset": 1, "next_offset": None}
    shop.update_listing(pctx, maker, listing_id, status=ListingStatus.PAUSED)
    assert api()[1]["items"] == [], "paused listings are not on sale"


@pytest.mark.parametrize("query", ["limit=abc", "offset=-1"])
def test_bad_paging_is_a_400(api, query):
    status, body = api(query)
    assert status == 400 and "error" in body
