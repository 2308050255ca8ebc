"""A new card after a failed charge: the browser step (begin_card_update) and its refusals."""

from __future__ import annotations

import pytest

from lib.domain.campaigns import PreorderStatus, ShippingAddress
from lib.domain.errors import InvalidInput, NotFound, NotSignedIn, PermissionDenied
from lib.services.campaigns import preorders, settlement
from tests.commerce_fixtures import ADDRESS, DECLINE_ON_CHARGE, GOOD, past_deadline

ADDR = ShippingAddress.clean(**ADDRESS)


def test_begin_card_update_only_for_the_owner_of_a_failed_charge(pctx, open_campaign, person, engine):
    campaign_id = open_campaign(goal=1)
    backer = person()
    preorder_id = preorders.place_preorder(pctx, backer, campaign_id, quantity=1, address=ADDR, card=DECLINE_ON_CHARGE)
    with pytest.raises(InvalidInput, match="preorder_not_in_grace"):  # nothing has failed yet
        preorders.begin_card_update(pctx, backer, preorder_id)
    past_deadline(engine, campaign_id)
    settlement.settle_due(pctx)
    assert preorders.my_preorders(pctx, backer)[0][0].status is PreorderStatus.PAYMENT_FAILED

    with pytest.raises(PermissionDenied):
        preorders.begin_card_update(pctx, person(), preorder_id)
    with pytest.raises(NotSignedIn):
        preorders.begin_card_update(pctx, None, preorder_id)
    with pytest.raises(NotFound):
        preorders.begin_card_update(pctx, backer, 999_999)

    setup = preorders.begin_card_update(pctx, backer, preorder_id)
    assert setup.setup_ref
    preorders.update_card(pctx, backer, preorder_id, card=GOOD, setup_ref=setup.setup_ref)
    [(preorder, _)] = preorders.my_preorders(pctx, backer)
    assert (preorder.status, preorder.card_last4) == (PreorderStatus.PLEDGED, "4242")
    with pytest.raises(InvalidInput, match="preorder_not_in_grace"):  # done: no second new card
        preorders.begin_card_update(pctx, backer, preorder_id)
