"""A moderator-hidden idea is hidden everywhere its content appears: its listing page and the shop,
/api/listings, its campaign page and the campaign and listing cards (both databases). Staff, and the
maker who answers for the listing or campaign, still see it; nobody can buy from it or back it."""

from __future__ import annotations

import json

import pytest
from starlette.requests import Request

from lib.domain.accounts import Role
from lib.domain.campaigns import CampaignClosed, ShippingAddress
from lib.domain.errors import NotFound
from lib.domain.orders import ListingUnavailable
from lib.services.campaigns import opening, preorders
from lib.services.commerce import shop
from lib.services.ideas import browse, moderation
from lib.web import routes
from tests.commerce_fixtures import ADDRESS, GOOD
from tests.shop.conftest import buy

PITCH = "Sit anywhere on a crowded train."  # the idea's pitch (tests/journey_fixtures.fields)


def api_listings(query: str = "") -> list[dict]:
    request = Request({"type": "http", "method": "GET", "path": "/api/listings", "headers": [],
                       "query_string": query.encode()})
    return json.loads(bytes(routes.api_listings(request).body))["items"]


@pytest.fixture
def hidden_listing(pctx, listing, person, monkeypatch):  # type: ignore[no-untyped-def]
    """A listing whose idea a moderator hid: (listing id, idea id, the moderator)."""
    monkeypatch.setattr(routes, "app_context", lambda: pctx)
    listing_id = listing(stock=5)
    view = shop.get_listing(pctx, listing_id)
    assert view.idea_pitch == PITCH and [c.id for c in shop.browse(pctx)] == [listing_id]
    mod = person(Role.MODERATOR)
    moderation.set_visibility(pctx, mod, "idea", view.listing.idea_id, True, "Copies someone's design.")
    return listing_id, view.listing.idea_id, mod


def test_the_listing_of_a_hidden_idea_is_not_found_by_the_public(pctx, hidden_listing, person):
    listing_id, _, _ = hidden_listing
    for viewer in (None, person(), person(Role.MAKER)):
        with pytest.raises(NotFound):
            shop.get_listing(pctx, listing_id, viewer)


def test_staff_and_its_maker_still_see_it(pctx, hidden_listing, maker, person):
    listing_id, _, mod = hidden_listing
    for viewer in (mod, person(Role.ADMIN), maker):
        view = shop.get_listing(pctx, listing_id, viewer)
        assert view.idea_pitch == PITCH and view.listing.hidden


def test_the_shop_and_the_api_leave_it_out(pctx, hidden_listing):
    listing_id, _, _ = hidden_listing
    assert shop.browse(pctx) == []
    assert shop.browse(pctx, query="stool") == [] and shop.browse(pctx, query="folds") == []
    assert api_listings() == [] and api_listings("q=stool") == []
    assert all(card.id != listing_id for card in browse.browse_listings(pctx))


def test_nobody_can_buy_from_it(pctx, hidden_listing, person):
    listing_id, _, _ = hidden_listing
    buyer = person()
    with pytest.raises(ListingUnavailable):
        buy(pctx, buyer, listing_id)
    with pytest.raises(ListingUnavailable):
        shop.begin_card_setup(pctx, buyer, listing_id)
    assert shop.listing_now(pctx, listing_id).sold == 0  # type: ignore[union-attr]


def test_restored_it_is_back_everywhere(pctx, hidden_listing, person):
    listing_id, idea_id, mod = hidden_listing
    moderation.set_visibility(pctx, mod, "idea", idea_id, False)
    assert shop.get_listing(pctx, listing_id).idea_pitch == PITCH
    assert [c.id for c in shop.browse(pctx)] == [listing_id]
    assert [item["id"] for item in api_listings()] == [listing_id]
    buy(pctx, person(), listing_id)


def test_the_campaign_of_a_hidden_idea_is_hidden_too(pctx, open_campaign, person, maker):
    campaign_id = open_campaign(goal=2)
    idea_id = opening.get_campaign(pctx, campaign_id).idea_id
    assert [c.id for c in browse.browse_campaigns(pctx)] == [campaign_id]
    mod = person(Role.MODERATOR)
    moderation.set_visibility(pctx, mod, "idea", idea_id, True, "Misleading claims.")

    for viewer in (None, person()):
        with pytest.raises(NotFound):
            opening.get_campaign(pctx, campaign_id, viewer)
    assert opening.get_campaign(pctx, campaign_id, mod).hidden
    assert opening.get_campaign(pctx, campaign_id, maker).id == campaign_id
    assert browse.browse_campaigns(pctx) == []
    backer = person()
    with pytest.raises(CampaignClosed):
        preorders.place_preorder(pctx, backer, campaign_id, quantity=1, address=ShippingAddress.clean(**ADDRESS),
                                 card=GOOD)
    with pytest.raises(NotFound):
        preorders.begin_card_setup(pctx, backer, campaign_id)
    assert opening.get_campaign(pctx, campaign_id, mod).pledged_units == 0


def test_its_stock_is_not_polled_by_the_public(pctx, hidden_listing):
    listing_id, _, _ = hidden_listing
    pctx.reads.forget(("listing", listing_id))  # what the fixture's own reads may have cached
    assert shop.stock_now(pctx, listing_id) is None
