"""Addresses used before (issue 12): checkout offers the account's own past shipping addresses, from its
orders and pre-orders, newest first, each once; nobody else's."""

from __future__ import annotations

from lib.domain.campaigns import ShippingAddress
from lib.domain.money import Money
from lib.services.commerce import checkout, orders, shop
from tests.commerce_fixtures import ADDRESS, GOOD

HOME = ShippingAddress.clean(**ADDRESS)
OFFICE = ShippingAddress.clean(name="Mina Park", line1="1 Office Road", city="Busan", postal_code="48058",
                               country="KR")


def test_past_addresses_are_the_accounts_own_newest_first_each_once(pctx, maker, fulfilled, person):
    stranger = person(name="Someone Else")
    campaign_id, _, [buyer] = fulfilled(backers=1)  # pre-ordered to HOME (its order ships there too)
    assert orders.past_addresses(pctx, buyer) == [HOME]
    listing_id = shop.create_listing(pctx, maker, campaign_id, price=Money(2500, "USD"), stock=10,
                                     description_md="Folds flat.")

    checkout.buy_now(pctx, buyer, listing_id, quantity=1, address=OFFICE, card=GOOD)
    # the same place typed again with other spacing and case is still one address
    retyped = ShippingAddress.clean(**{**ADDRESS, "line1": "  " + HOME.line1.upper(), "city": HOME.city.lower()})
    checkout.buy_now(pctx, buyer, listing_id, quantity=1, address=retyped, card=GOOD)

    assert orders.past_addresses(pctx, buyer) == [retyped, OFFICE], "newest first, each place once"
    assert orders.past_addresses(pctx, stranger) == [], "only the account's own"
    assert orders.past_addresses(pctx, None) == []
