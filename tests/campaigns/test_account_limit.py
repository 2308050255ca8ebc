"""A capped campaign may limit what one account pre-orders (the seeds' own example: two Model 3
reservations per person). The moderator sets it when opening the campaign; place_preorder keeps it
with a conditional update on the backer's row (like the shop's listing_buyers), and every way a
pre-order ends early gives the units back. 50 concurrent attempts, by one account or by many, on
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lib.adapters.db.schema import campaigns as campaign_tables
from lib.domain.accounts import Role
from lib.domain.campaigns import PreorderLimitReached, PreorderStatus, ShippingAddress, SoldOut
from lib.domain.errors import InvalidInput
from lib.services.campaigns import makers, opening, preorders, settlement
from lib.services.payments.ports import PaymentMethodRefused
from tests.commerce_fixtures import ADDRESS, DECLINE_ON_SAVE, GOOD
from tests.race import race

ADDR = ShippingAddress.clean(**ADDRESS)


@pytest.fixture
def limited(pctx, maker, winning_idea, person):  # type: ignore[no-untyped-def]
    """Open a campaign on the winning idea with a per-account limit (and optionally a cap)."""

    def make(limit: int | None, cap: int | None = None, goal: int = 2) -> int:
        idea_id, author = winning_idea
        quote = makers.submit_quote(pctx, maker, idea_id, unit_cost=1000, moq=goal, lead_time_days=20)
        opening.consent_to_quote(pctx, author, quote)
        return opening.open_campaign(pctx, person(Role.MODERATOR), quote, cap_units=cap, per_account_limit=limit)

    return make


def pledge(pctx, user, campaign_id, quantity=1, card=GOOD):  # type: ignore[no-untyped-def]
    return preorders.place_preorder(pctx, user, campaign_id, quantity=quantity, address=ADDR, card=card)


def held(engine, campaign_id: int) -> dict[int, int]:  # type: ignore[no-untyped-def]
    """What each account holds in the campaign: from its pre-orders, and from its backer row (they agree)."""
    p, b = campaign_tables.preorders.c, campaign_tables.campaign_backers.c
    live = [s.value for s in (PreorderStatus.RESERVED, PreorderStatus.PLEDGED, PreorderStatus.CHARGING,
                              PreorderStatus.PAID, PreorderStatus.PAYMENT_FAILED)]
    with engine.connect() as conn:
        from_preorders = dict(conn.execute(select(p.user_id, func.sum(p.quantity)).where(
            p.campaign_id == campaign_id, p.status.in_(live)).group_by(p.user_id)).all())
        from_rows = dict(conn.execute(select(b.user_id, b.quantity).where(b.campaign_id == campaign_id,
                                                                          b.quantity > 0)).all())
    assert {k: int(v) for k, v in from_preorders.items()} == from_rows
    return from_rows


def test_the_limit_counts_every_pre_order_of_an_account(pctx, engine, limited, person):
    campaign_id = limited(limit=2)
    campaign = opening.get_campaign(pctx, campaign_id)
    assert campaign.per_account_limit == 2
    fan, other = person(), person()
    pledge(pctx, fan, campaign_id)
    pledge(pctx, fan, campaign_id)
    with pytest.raises(PreorderLimitReached) as caught:
        pledge(pctx, fan, campaign_id)
    assert caught.value.params == {"limit": 2, "left": 0}
    with pytest.raises(PreorderLimitReached) as caught:  # more than the limit at once
        pledge(pctx, other, campaign_id, quantity=3)
    assert caught.value.params == {"limit": 2, "left": 2}
    pledge(pctx, other, campaign_id, quantity=2)
    assert held(engine, campaign_id) == {fan.id: 2, other.id: 2}
    assert opening.get_campaign(pctx, campaign_id).pledged_units == 4


def test_cancelling_or_a_refused_card_gives_the_units_back(pctx, engine, limited, person):
    campaign_id = limited(limit=1)
    fan = person()
    with pytest.raises(PaymentMethodRefused):
        pledge(pctx, fan, campaign_id, card=DECLINE_ON_SAVE)
    assert held(engine, campaign_id) == {}
    first = pledge(pctx, fan, campaign_id)
    preorders.cancel_preorder(pctx, fan, first)
    assert held(engine, campaign_id) == {}
    pledge(pctx, fan, campaign_id)
    assert held(engine, campaign_id) == {fan.id: 1}


def test_a_reservation_left_behind_gives_its_units_back(pctx, engine, limited, person):
    from dataclasses import replace

    campaign_id = limited(limit=1)
    fan = person()
    with pctx.uow() as uow:  # a tab closed before the card was saved: reserved, never pledged
        campaign = uow.campaigns.campaign(campaign_id)
        assert uow.campaigns.reserve_backer_units(campaign_id, fan.id, 1, 1)
        assert uow.campaigns.reserve_units(campaign_id, 1, pctx.now())
        uow.campaigns.add_preorder(campaign, fan.id, 1, ADDR, "fake", pctx.now())
        uow.commit()
    with pytest.raises(PreorderLimitReached):
        pledge(pctx, fan, campaign_id)
    later = replace(pctx, clock=lambda: pctx.now() + settlement.RESERVATION_TIMEOUT + timedelta(seconds=1))
    assert settlement.release_stale_reservations(later) == 1
    pledge(pctx, fan, campaign_id)
    assert held(engine, campaign_id) == {fan.id: 1}


def test_a_bad_limit_is_refused_and_no_limit_is_no_limit(pctx, engine, maker, winning_idea, person):
    idea_id, author = winning_idea
    quote = makers.submit_quote(pctx, maker, idea_id, unit_cost=1000, moq=2, lead_time_days=20)
    opening.consent_to_quote(pctx, author, quote)
    mod = person(Role.MODERATOR)
    for bad in (0, -1, 10**7, True, 1.5, "2"):
        with pytest.raises(InvalidInput) as caught:
            opening.open_campaign(pctx, mod, quote, per_account_limit=bad)  # type: ignore[arg-type]
        assert caught.value.key == "error.preorder_limit_range"
    assert opening.campaign_for_idea(pctx, idea_id) is None, "nothing was opened"
    campaign_id = opening.open_campaign(pctx, mod, quote)
    fan = person()
    for _ in range(3):
        pledge(pctx, fan, campaign_id, quantity=40)
    assert held(engine, campaign_id) == {fan.id: 120}


@pytest.mark.parametrize(("accounts", "tries", "limit", "cap", "sold"), [
    (1, 50, 2, None, 2),  # one account, fifty clicks at once: the limit decides
    (25, 2, 1, 20, 20),  # twenty-five accounts, two each: the cap decides, one unit per account
])
def test_fifty_concurrent_attempts_never_pass_the_limit(pctx, engine, limited, person, gateway,
                                                        accounts, tries, limit, cap, sold):
    campaign_id = limited(limit=limit, cap=cap, goal=1)
    people = [person(name="Fan") for _ in range(accounts)]
    attempts = [user for _ in range(tries) for user in people]

    results = race(len(attempts), lambda i: pledge(pctx, attempts[i], campaign_id),
                   expected=(PreorderLimitReached, SoldOut), timeout=600)

    pledged = [user.id for user, r in zip(attempts, results, strict=True) if isinstance(r, int)]
    assert len(pledged) == sold
    assert all(pledged.count(user_id) <= limit for user_id in pledged)
    assert held(engine, campaign_id) == {user_id: pledged.count(user_id) for user_id in set(pledged)}
    assert opening.get_campaign(pctx, campaign_id).pledged_units == sold
    with engine.connect() as conn:
        p = campaign_tables.preorders.c
        statuses = dict(conn.execute(select(p.status, func.count()).where(p.campaign_id == campaign_id)
                                     .group_by(p.status)).all())
    assert statuses == {PreorderStatus.PLEDGED.value: sold}, "no orphan reservation"
