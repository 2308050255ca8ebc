"""From a winning idea to a funded (or failed) campaign, through the services, on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lib.adapters.db.schema import campaigns as campaign_tables
from lib.domain.accounts import Role
from lib.domain.campaigns import (
    CampaignClosed,
    CampaignStatus,
    NotVerifiedMaker,
    PreorderStatus,
    ShippingAddress,
    SoldOut,
)
from lib.domain.errors import InvalidInput, PermissionDenied
from lib.domain.ideas import IdeaStatus
from lib.services.campaigns import makers, opening, preorders, settlement
from lib.services.ideas import authoring
from lib.services.messaging import notifications
from lib.services.payments.ports import InvalidWebhook, PaymentMethodRefused
from tests.commerce_fixtures import ADDRESS, DECLINE_ON_CHARGE, DECLINE_ON_SAVE, GOOD, Crash, past_deadline
from tests.race import race

ADDR = ShippingAddress.clean(**ADDRESS)


def kinds(ctx, user):
    return [n.kind for n in notifications.inbox(ctx, user)]


def pledge(pctx, user, campaign_id, quantity=1, card=GOOD):
    return preorders.place_preorder(pctx, user, campaign_id, quantity=quantity, address=ADDR, card=card)


def test_unverified_makers_cannot_quote_and_prices_never_fall_below_cost(pctx, winning_idea, person, maker):
    idea_id, author = winning_idea
    applicant = person()
    with pytest.raises(NotVerifiedMaker):
        makers.submit_quote(pctx, applicant, idea_id, unit_cost=1000, moq=5, lead_time_days=10)
    for bad in (dict(unit_cost=0), dict(unit_cost=-5), dict(moq=0), dict(lead_time_days=0)):
        with pytest.raises(InvalidInput):
            makers.submit_quote(pctx, maker, idea_id, **({"unit_cost": 1000, "moq": 5, "lead_time_days": 10} | bad))
    quote_id = makers.submit_quote(pctx, maker, idea_id, unit_cost=1000, moq=5, lead_time_days=10)
    with pytest.raises(InvalidInput, match="quote_exists"):
        makers.submit_quote(pctx, maker, idea_id, unit_cost=900, moq=5, lead_time_days=10)
    mod = person(Role.MODERATOR)
    with pytest.raises(InvalidInput, match="no_author_consent"):
        opening.open_campaign(pctx, mod, quote_id)
    with pytest.raises(PermissionDenied):
        opening.consent_to_quote(pctx, person(), quote_id)
    opening.consent_to_quote(pctx, author, quote_id)
    makers.revise_quote(pctx, maker, quote_id, unit_cost=1100, moq=5, lead_time_days=10)
    with pytest.raises(InvalidInput, match="no_author_consent"):  # a revision voids consent
        opening.open_campaign(pctx, mod, quote_id)
    opening.consent_to_quote(pctx, author, quote_id)
    with pytest.raises(InvalidInput, match="price_below_cost"):
        opening.open_campaign(pctx, mod, quote_id, price=1100)
    campaign_id = opening.open_campaign(pctx, mod, quote_id, cap_units=20)
    campaign = opening.get_campaign(pctx, campaign_id)
    assert campaign.price.amount == campaign.unit_cost.amount + campaign.platform_fee.amount + \
        campaign.creator_royalty.amount + campaign.co_creator_pool.amount + (
            campaign.price.amount - campaign.platform_fee.amount - campaign.creator_royalty.amount
            - campaign.co_creator_pool.amount - campaign.unit_cost.amount)
    assert campaign.price.amount - campaign.platform_fee.amount - campaign.creator_royalty.amount \
        - campaign.co_creator_pool.amount >= 1100
    assert campaign.goal_units == 5 and authoring.get_idea(pctx, idea_id).status is IdeaStatus.CAMPAIGN
    assert "campaign_opened" in kinds(pctx, author)
    with pytest.raises(InvalidInput, match="quote_closed"):
        makers.withdraw_quote(pctx, maker, quote_id)


def test_preorder_bad_input_leaves_nothing(pctx, open_campaign, person, engine):
    campaign_id = open_campaign(goal=3, cap=5)
    backer = person()
    for quantity in (0, -1, 10**6):
        with pytest.raises(InvalidInput):
            pledge(pctx, backer, campaign_id, quantity)
    with pytest.raises(SoldOut):
        pledge(pctx, backer, campaign_id, 6)
    with pytest.raises(PaymentMethodRefused):
        pledge(pctx, backer, campaign_id, 2, card=DECLINE_ON_SAVE)
    with pytest.raises(InvalidInput):
        preorders.place_preorder(pctx, backer, campaign_id, quantity=1, address=ShippingAddress.clean(
            **(ADDRESS | {"city": ""})), card=GOOD)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(campaign_tables.preorders)).scalar_one() == 0
        assert conn.execute(select(campaign_tables.campaigns.c.pledged_units)).scalar_one() == 0
    mine = pledge(pctx, backer, campaign_id, 2)
    with pytest.raises(PermissionDenied):
        preorders.cancel_preorder(pctx, person(), mine)
    preorders.cancel_preorder(pctx, backer, mine)
    assert opening.get_campaign(pctx, campaign_id).pledged_units == 0
    past_deadline(engine, campaign_id)
    with pytest.raises(CampaignClosed):
        pledge(pctx, backer, campaign_id, 1)


def test_goal_met_charges_everyone_once_and_a_failed_card_gets_grace(
        pctx, open_campaign, person, gateway, maker, engine):
    campaign_id = open_campaign(goal=3)
    good, flaky = person(), person()
    pledge(pctx, good, campaign_id, 2)
    flaky_order = pledge(pctx, flaky, campaign_id, 1, card=DECLINE_ON_CHARGE)
    assert gateway.charges == [], "nothing is charged before the deadline"
    campaign = opening.get_campaign(pctx, campaign_id)
    past_deadline(engine, campaign_id)
    settlement.settle_due(pctx)
    assert opening.get_campaign(pctx, campaign_id).status is CampaignStatus.FUNDED
    assert len(gateway.charges) == 1 and gateway.charges[0][1] == campaign.price.amount * 2
    mine = preorders.my_preorders(pctx, good) + preorders.my_preorders(pctx, flaky)
    statuses = {p.user_id: p.status for p, _ in mine}
    assert statuses == {good.id: PreorderStatus.PAID, flaky.id: PreorderStatus.PAYMENT_FAILED}
    assert "preorder_charged" in kinds(pctx, good) and "preorder_payment_failed" in kinds(pctx, flaky)
    assert "campaign_funded_maker" in kinds(pctx, maker)
    settlement.settle_due(pctx)  # running again changes nothing
    assert len(gateway.charges) == 1
    preorders.update_card(pctx, flaky, flaky_order, card=GOOD)
    settlement.settle_due(pctx)
    assert len(gateway.charges) == 2
    assert settlement.ledger_totals(pctx, campaign_id)["charged"] == campaign.price.amount * 3


def test_goal_not_met_releases_everyone_and_tells_them(pctx, open_campaign, person, gateway, engine):
    campaign_id = open_campaign(goal=5, days=3)  # short: pre-orders hold the money instead of saving cards
    backers = [person(), person()]
    for backer in backers:
        pledge(pctx, backer, campaign_id, 1)
    assert set(gateway.holds.values()) == {"held"}
    past_deadline(engine, campaign_id)
    settlement.settle_due(pctx)
    campaign = opening.get_campaign(pctx, campaign_id)
    assert campaign.status is CampaignStatus.FAILED and gateway.charges == []
    assert set(gateway.holds.values()) == {"released"}
    for backer in backers:
        assert "campaign_failed_backer" in kinds(pctx, backer)
        assert [p.status for p, _ in preorders.my_preorders(pctx, backer)] == [PreorderStatus.RELEASED]
    with pytest.raises(CampaignClosed):
        pledge(pctx, person(), campaign_id)


@pytest.mark.parametrize("crash_after", [1, 3, 5])
def test_a_settlement_that_dies_midway_charges_every_preorder_exactly_once(
        pctx, open_campaign, person, gateway, engine, crash_after):
    campaign_id = open_campaign(goal=3)
    orders = [pledge(pctx, person(), campaign_id, 1) for _ in range(6)]
    past_deadline(engine, campaign_id)
    gateway.crash_after_charges = crash_after  # dies right after the provider took the money
    with pytest.raises(Crash):
        settlement.settle_due(pctx)
    settlement.settle_due(pctx)
    settlement.settle_due(pctx)
    keys = [c[0] for c in gateway.charges]
    assert len(keys) == len(set(keys)) == len(orders), "each pre-order charged exactly once"
    totals = settlement.ledger_totals(pctx, campaign_id)
    assert totals["charged"] == totals["paid"] == sum(c[1] for c in gateway.charges)
    assert opening.get_campaign(pctx, campaign_id).status is CampaignStatus.FUNDED


def test_oversell_is_impossible_under_200_concurrent_attempts(pctx, open_campaign, person, gateway, engine):
    campaign_id = open_campaign(goal=3, cap=10)
    buyers = [person() for _ in range(40)]

    def buy(i: int) -> list[str]:
        mine = []
        for _ in range(5):  # 40 threads x 5 = 200 attempts; an error other than SoldOut is raised by race
            try:
                pledge(pctx, buyers[i], campaign_id, 1)
                mine.append("ok")
            except SoldOut:
                mine.append("sold_out")
        return mine

    outcomes = [o for per_buyer in race(40, buy, timeout=300) for o in per_buyer]
    assert outcomes.count("ok") == 10 and outcomes.count("sold_out") == 190
    with engine.connect() as conn:
        units = conn.execute(select(func.sum(campaign_tables.preorders.c.quantity))).scalar_one()
        assert units == 10
        assert conn.execute(select(campaign_tables.campaigns.c.pledged_units)).scalar_one() == 10
        pre = campaign_tables.preorders
        assert conn.execute(select(func.count()).select_from(pre).where(
            pre.c.status != PreorderStatus.PLEDGED.value)).scalar_one() == 0, "no orphan reservation"
    settlement.settle_due(pctx)  # a sold-out cap settles at once, before the deadline
    assert opening.get_campaign(pctx, campaign_id).status is CampaignStatus.FUNDED
    assert len(gateway.charges) == 10


def test_webhooks_are_verified_deduplicated_and_ignore_unknown_payments(pctx, open_campaign, person, engine):
    import json

    from lib.services.payments import webhooks

    body = json.dumps({"id": "evt_1", "type": "payment_intent.succeeded", "ref": "pi_unknown"}).encode()
    with pytest.raises(InvalidWebhook):
        webhooks.handle_webhook(pctx, body, "forged")
    assert webhooks.handle_webhook(pctx, body, "good") == "processed"  # unknown payment: logged only
    assert webhooks.handle_webhook(pctx, body, "good") == "duplicate"
    other = json.dumps({"id": "evt_2", "type": "customer.created"}).encode()
    assert webhooks.handle_webhook(pctx, other, "good") == "ignored"
