"""Buy now twice from one drawing of the form is one purchase: its one-time request key is claimed
with the reservation; a replay (after, or at the same time) gets the first order without a second
charge, and a declined card leaves the key free (both databases)."""

from __future__ import annotations

import pytest

from lib.domain.campaigns import ShippingAddress
from lib.domain.errors import RequestInProgress
from lib.domain.shop import ChargeDeclined
from lib.services.commerce import checkout, shop
from tests.commerce_fixtures import ADDRESS, DECLINE_ON_CHARGE, GOOD
from tests.race import kinds, race

KEY = "buy-form-drawing-000001"


def buy(pctx, user, listing_id, key=KEY, card=GOOD):  # type: ignore[no-untyped-def]
    return checkout.buy_now(pctx, user, listing_id, quantity=2, address=ShippingAddress.clean(**ADDRESS), card=card,
                            request_key=key)


def shop_charges(gateway) -> int:  # type: ignore[no-untyped-def]
    return len([c for c in gateway.charges if "shop-order" in c[0]])


def test_the_same_purchase_sent_twice_is_one(pctx, listing, person, gateway):
    listing_id = listing(stock=10)
    fan = person()
    first = buy(pctx, fan, listing_id)
    assert buy(pctx, fan, listing_id) == first
    assert shop.listing_now(pctx, listing_id).sold == 2  # type: ignore[union-attr]
    assert shop_charges(gateway) == 1
    buy(pctx, fan, listing_id, key=KEY + "-again")  # "Buy again": a new drawing, a new order
    assert shop.listing_now(pctx, listing_id).sold == 4  # type: ignore[union-attr]


def test_a_declined_card_leaves_the_key_free(pctx, listing, person, gateway):
    listing_id = listing(stock=10)
    fan = person()
    with pytest.raises(ChargeDeclined):
        buy(pctx, fan, listing_id, card=DECLINE_ON_CHARGE)
    first = buy(pctx, fan, listing_id)
    assert buy(pctx, fan, listing_id) == first
    assert shop.listing_now(pctx, listing_id).sold == 2 and shop_charges(gateway) == 1  # type: ignore[union-attr]


def test_concurrent_submissions_with_one_key_buy_once(pctx, listing, person, gateway):
    listing_id = listing(stock=10)
    fan = person()
    results = race(10, lambda _i: buy(pctx, fan, listing_id), expected=RequestInProgress)
    assert len({r for r in results if isinstance(r, int)}) == 1 and set(kinds(results)) <= {"int", "RequestInProgress"}
    assert shop.listing_now(pctx, listing_id).sold == 2  # type: ignore[union-attr]
    assert shop_charges(gateway) == 1
