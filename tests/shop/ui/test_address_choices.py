"""Checkout offers the addresses used before (issue 12): one click fills the form, which stays editable."""

from __future__ import annotations

from lib.domain.campaigns import ShippingAddress
from lib.services.commerce import checkout
from tests.shop.ui.test_shop_pages import ADDRESS, EN, GOOD, fill_buy, fresh_listing
from tests.ui.conftest import PASSWORD
from tests.ui.helpers import no_problems, visit


def test_checkout_offers_the_address_used_before_and_a_new_one(app_ctx, make_app, new_account, demo_users):
    listing_id = fresh_listing(app_ctx, demo_users["maker"], stock=5)
    buyer = new_account("Addy Again")
    checkout.buy_now(app_ctx, buyer, listing_id, quantity=1,
                     address=ShippingAddress.clean(name="Addy", line2="Flat 3", **ADDRESS), card=GOOD)
    key = f"listing.{listing_id}.address"
    at = visit(make_app(email=buyer.email, password=PASSWORD), "listing", id=str(listing_id))
    assert EN("address.used_before") in [c.value for c in at.caption]
    assert at.text_input(key=f"{key}.line1").value == "", "nothing is filled in until the person chooses"
    at = at.button(key=f"{key}.use_0").click().run()
    assert {f: at.text_input(key=f"{key}.{f}").value for f in ("name", "line1", "line2", "city", "country")} == \
        {"name": "Addy", "line1": ADDRESS["line1"], "line2": "Flat 3", "city": ADDRESS["city"],
         "country": ADDRESS["country"]}
    at.text_input(key=f"{key}.line2").input("Flat 4")  # still editable
    at = fill_buy(at, listing_id, GOOD)
    no_problems(at)
    assert EN("shop.bought", count=1, total="$18.00") in [s.value for s in at.success]

    at = at.button(key=f"{key}.use_new").click().run()
    assert at.text_input(key=f"{key}.line1").value == "" and at.text_input(key=f"{key}.name").value == \
        buyer.display_name

    stranger = visit(make_app(email=new_account("No History").email, password=PASSWORD), "listing",
                     id=str(listing_id))
    assert EN("address.used_before") not in [c.value for c in stranger.caption], "nobody else's addresses"
