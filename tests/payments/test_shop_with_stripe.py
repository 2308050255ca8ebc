"""The shop end to end on the Stripe gateway (the real stripe library against localstripe): the
campaign behind the listing is pre-ordered and settled through Stripe, then buying now charges at
once, a declined card leaves stock untouched, and a partial refund reaches Stripe and the ledger."""

from __future__ import annotations

import pytest

from lib.domain.campaigns import ShippingAddress
from lib.domain.money import Money
from lib.domain.orders import OrderStatus
from lib.domain.shop import ChargeDeclined
from lib.services.commerce import checkout, refunds, shop
from lib.services.ledger import books
from tests.commerce_fixtures import ADDRESS, DECLINE_ON_CHARGE, GOOD
from tests.shop.conftest import fulfilled, listing  # noqa: F401 - fixtures, with this folder's Stripe gateway


def _buy(ctx, user, listing_id, quantity=1, card=GOOD):  # type: ignore[no-untyped-def]
    return checkout.buy_now(ctx, user, listing_id, quantity=quantity, address=ShippingAddress.clean(**ADDRESS),
                            card=card)


def test_buy_now_charges_at_once_through_stripe_and_a_refund_reaches_it(pctx, listing, person, localstripe,  # noqa: F811
                                                                        maker):
    assert pctx.payments.name == "stripe"
    listing_id = listing(stock=5, price=2500)
    buyer = person(name="Stripe Buyer")
    order_id = _buy(pctx, buyer, listing_id, quantity=2)
    with pctx.uow(write=False) as uow:
        order = uow.orders.get(order_id)
        holdings = uow.ledger.order_holdings(order_id)
    assert order.status is OrderStatus.PAID and order.payment_ref.startswith("pi_")
    intent = localstripe.get(f"/v1/payment_intents/{order.payment_ref}")
    assert (intent["amount"], intent["currency"], intent["status"]) == (5000, "usd", "succeeded")
    # The sale was posted: platform 10 %, creator 5 % + the pool (no co-creators), 2.9 % + 30¢ fee, maker the rest.
    assert {account: held for (account, _user), held in holdings.items()} == {
        "platform": 500, "creator": 300, "payment_fee": 175, "maker": 4025}

    refunds.refund_order(pctx, maker, order_id, Money(1000, "USD"), "one arrived scratched")
    sent = localstripe.get(f"/v1/refunds?payment_intent={order.payment_ref}")["data"]
    assert [r["amount"] for r in sent] == [1000]
    assert books.earnings(pctx, maker).by_role["maker"].amount > 0


def test_a_card_declined_by_stripe_cancels_the_purchase_and_gives_the_stock_back(pctx, listing, person):  # noqa: F811
    listing_id = listing(stock=3)
    with pytest.raises(ChargeDeclined):
        _buy(pctx, person(name="Declined"), listing_id, card=DECLINE_ON_CHARGE)
    assert shop.listing_now(pctx, listing_id).sold == 0
    assert _buy(pctx, person(name="Next"), listing_id, quantity=3)  # every unit is still there
