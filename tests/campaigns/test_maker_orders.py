"""A maker sees the pre-orders on their own campaigns, and nobody else's (both databases)."""

from __future__ import annotations

import pytest

from lib.domain.accounts import Role
from lib.domain.campaigns import NotVerifiedMaker, PreorderStatus, ShippingAddress
from lib.domain.errors import NotFound, NotSignedIn, PermissionDenied
from lib.services.accounts.auth import get_user
from lib.services.campaigns import makers, preorders, settlement
from lib.services.campaigns.maker_preorders import maker_orders
from lib.services.ideas import moderation
from lib.services.payments.ports import PaymentMethodRefused
from tests.commerce_fixtures import ADDRESS, DECLINE_ON_SAVE, GOOD, past_deadline

ADDR = ShippingAddress.clean(**ADDRESS)


def pledge(pctx, user, campaign_id, quantity=1, card=GOOD):
    return preorders.place_preorder(pctx, user, campaign_id, quantity=quantity, address=ADDR, card=card)


def test_a_maker_sees_own_campaign_orders_without_card_details(pctx, maker, open_campaign, person):
    campaign_id = open_campaign(goal=3)
    first, second = person(), person()
    one = pledge(pctx, first, campaign_id, 2)
    two = pledge(pctx, second, campaign_id, 1)
    preorders.cancel_preorder(pctx, second, two)
    with pytest.raises(PaymentMethodRefused):  # a refused card leaves no row for the maker to see
        pledge(pctx, person(), campaign_id, 1, card=DECLINE_ON_SAVE)

    [mine] = maker_orders(pctx, maker)
    assert mine.campaign.id == campaign_id
    assert [(o.id, o.quantity, o.status) for o in mine.orders] == [
        (one, 2, PreorderStatus.PLEDGED), (two, 1, PreorderStatus.CANCELLED)]
    assert mine.committed_units == 2 and mine.paid_units == 0
    assert mine.orders[0].amount == mine.campaign.price.times(2)
    assert all(o.address is None for o in mine.orders), "no address before the order is paid"
    assert not hasattr(mine.orders[0], "card_last4") and not hasattr(mine.orders[0], "customer_ref")
    assert maker_orders(pctx, maker, campaign_id)[0].orders == mine.orders


def test_paid_orders_carry_the_shipping_address(pctx, maker, open_campaign, person, engine):
    campaign_id = open_campaign(goal=1)
    pledge(pctx, person(), campaign_id, 1)
    past_deadline(engine, campaign_id)
    settlement.settle_due(pctx)
    [mine] = maker_orders(pctx, maker)
    assert [o.status for o in mine.orders] == [PreorderStatus.PAID]
    assert mine.orders[0].address == ADDR and mine.paid_units == 1


def test_other_makers_and_non_makers_are_refused(pctx, maker, open_campaign, person):
    campaign_id = open_campaign(goal=3)
    pledge(pctx, person(), campaign_id, 1)
    rival = person(name="Rival")
    makers.apply_as_maker(pctx, rival, business_name="Rival Co", description="We make things.",
                          capabilities="cutting", location="Incheon")
    with pytest.raises(NotVerifiedMaker):  # applied, not yet verified
        maker_orders(pctx, rival)
    makers.decide_maker(pctx, person(Role.MODERATOR), rival.id, True)
    rival = get_user(pctx, rival.id)
    assert maker_orders(pctx, rival) == [], "another maker's campaigns never show up"
    with pytest.raises(PermissionDenied):
        maker_orders(pctx, rival, campaign_id)
    with pytest.raises(NotFound):
        maker_orders(pctx, maker, 999_999)
    with pytest.raises(NotVerifiedMaker):
        maker_orders(pctx, person())
    with pytest.raises(NotVerifiedMaker):  # staff see orders through moderation, not as a maker
        maker_orders(pctx, person(Role.MODERATOR))
    with pytest.raises(NotSignedIn):
        maker_orders(pctx, None)


def test_a_suspended_maker_can_still_read_their_orders(pctx, maker, open_campaign, person):
    campaign_id = open_campaign(goal=3)
    pledge(pctx, person(), campaign_id, 1)
    moderation.set_suspended(pctx, person(Role.MODERATOR), maker.id, True, "checking")
    suspended = get_user(pctx, maker.id)
    assert suspended.is_suspended
    assert [len(c.orders) for c in maker_orders(pctx, suspended)] == [1]
