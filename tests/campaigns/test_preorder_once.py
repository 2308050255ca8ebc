"""Pre-ordering twice from one drawing of the form is one pre-order: its one-time request key is
claimed with the reservation; a replay (after, or at the same time) gets the first pre-order, and a
card that was refused leaves the key free to try again (both databases)."""

from __future__ import annotations

import pytest

from lib.domain.campaigns import ShippingAddress
from lib.domain.errors import RequestInProgress
from lib.services.campaigns import opening, preorders
from lib.services.payments.ports import PaymentMethodRefused
from tests.commerce_fixtures import ADDRESS, DECLINE_ON_SAVE, GOOD
from tests.race import kinds, race

ADDR = ShippingAddress.clean(**ADDRESS)
KEY = "preorder-form-drawing-01"


def pledge(pctx, user, campaign_id, key=KEY, card=GOOD, quantity=2):  # type: ignore[no-untyped-def]
    return preorders.place_preorder(pctx, user, campaign_id, quantity=quantity, address=ADDR, card=card,
                                    request_key=key)


def test_the_same_pre_order_sent_twice_is_one(pctx, open_campaign, person):
    campaign_id = open_campaign(goal=5)
    fan = person()
    first = pledge(pctx, fan, campaign_id)
    assert pledge(pctx, fan, campaign_id) == first
    assert [p.id for p, _ in preorders.my_preorders(pctx, fan)] == [first]
    assert opening.get_campaign(pctx, campaign_id).pledged_units == 2
    pledge(pctx, fan, campaign_id, key=KEY + "-next")  # a new drawing: a new pre-order
    assert opening.get_campaign(pctx, campaign_id).pledged_units == 4


def test_a_refused_card_leaves_the_key_free_to_try_again(pctx, open_campaign, person):
    campaign_id = open_campaign(goal=5)
    fan = person()
    with pytest.raises(PaymentMethodRefused):
        pledge(pctx, fan, campaign_id, card=DECLINE_ON_SAVE)
    first = pledge(pctx, fan, campaign_id)
    assert pledge(pctx, fan, campaign_id) == first
    assert opening.get_campaign(pctx, campaign_id).pledged_units == 2


def test_concurrent_submissions_with_one_key_make_one_pre_order(pctx, open_campaign, person):
    campaign_id = open_campaign(goal=5)
    fan = person()
    results = race(10, lambda _i: pledge(pctx, fan, campaign_id), expected=RequestInProgress)
    assert len({r for r in results if isinstance(r, int)}) == 1 and set(kinds(results)) <= {"int", "RequestInProgress"}
    assert len(preorders.my_preorders(pctx, fan)) == 1
    assert opening.get_campaign(pctx, campaign_id).pledged_units == 2
