""""Running low?" reminders timed from each buyer's own purchase interval (both databases), and the
interval arithmetic itself."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from lib.domain.orders import ListingStatus
from lib.domain.shop import reorder_due
from lib.services.commerce import reviews, shop
from lib.services.context import utcnow
from tests.race import race
from tests.shop.conftest import buy

DAY = timedelta(days=1)


def at(pctx, when: datetime):  # type: ignore[no-untyped-def]
    return replace(pctx, clock=lambda: when)


def reminders_for(pctx, user_id: int) -> list[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    with pctx.uow(write=False) as uow:
        return [(n.params.get("title"), n.link) for n in uow.notifications.for_user(user_id, 100, 0)
                if n.kind == "running_low"]


def test_the_interval_is_the_default_then_the_median_of_ones_own():
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    assert reorder_due([t0], 30) == t0 + 30 * DAY
    assert reorder_due([t0 + 20 * DAY, t0], 30) == t0 + 40 * DAY, "order does not matter"
    assert reorder_due([t0, t0 + 20 * DAY, t0 + 24 * DAY], 30) == t0 + 36 * DAY, "median of 20 and 4 days"
    assert reorder_due([t0, t0 + 10 * DAY, t0 + 12 * DAY, t0 + 42 * DAY], 5) == t0 + 52 * DAY, "median of 10, 2, 30"
    with pytest.raises(ValueError):
        reorder_due([], 30)


def test_a_consumable_reminds_each_buyer_on_their_own_cycle_once(pctx, engine, maker, listing, person):
    listing_id = listing(stock=50, consumable=True, reorder_days=10)
    title = shop.listing_now(pctx, listing_id).title
    buyer, other = person(), person()
    t0 = utcnow()
    buy(at(pctx, t0), buyer, listing_id)
    assert reviews.send_running_low_reminders(at(pctx, t0 + 9 * DAY)) == 0
    assert reviews.send_running_low_reminders(at(pctx, t0 + 10 * DAY + timedelta(seconds=1))) == 1, "listing default"
    assert reviews.send_running_low_reminders(at(pctx, t0 + 11 * DAY)) == 0, "sent once"
    assert reminders_for(pctx, buyer.id) == [(title, f"/listing?id={listing_id}")]
    assert reminders_for(pctx, other.id) == []

    t1 = t0 + 20 * DAY  # a second purchase: from now on their own interval (20 days) counts
    buy(at(pctx, t1), buyer, listing_id, 2)
    assert reviews.send_running_low_reminders(at(pctx, t1 + 11 * DAY)) == 0, "not the 10-day default any more"
    assert reviews.send_running_low_reminders(at(pctx, t1 + 20 * DAY)) == 1
    t2 = t1 + 24 * DAY  # intervals 20 and 24 days: median 22
    buy(at(pctx, t2), buyer, listing_id)
    assert reviews.send_running_low_reminders(at(pctx, t2 + 21 * DAY)) == 0
    assert reviews.send_running_low_reminders(at(pctx, t2 + 22 * DAY)) == 1
    t3 = t2 + 2 * DAY  # bought early: intervals 20, 24, 2 -> median 20 (an average would say 15.3)
    buy(at(pctx, t3), buyer, listing_id)
    assert reviews.send_running_low_reminders(at(pctx, t3 + 19 * DAY)) == 0
    assert reviews.send_running_low_reminders(at(pctx, t3 + 20 * DAY)) == 1
    assert len(reminders_for(pctx, buyer.id)) == 4


def test_no_reminder_for_other_listings_or_paused_ones(pctx, engine, maker, listing, person):
    listing_id = listing(stock=5, consumable=False, reorder_days=1)
    buyer = person()
    t0 = utcnow()
    buy(at(pctx, t0), buyer, listing_id)
    assert reviews.send_running_low_reminders(at(pctx, t0 + 400 * DAY)) == 0, "not a consumable"
    shop.update_listing(pctx, maker, listing_id, consumable=True, status=ListingStatus.PAUSED)
    assert reviews.send_running_low_reminders(at(pctx, t0 + 400 * DAY)) == 0, "paused: nothing to buy again"
    shop.update_listing(pctx, maker, listing_id, status=ListingStatus.ACTIVE)
    assert reviews.send_running_low_reminders(at(pctx, t0 + 400 * DAY)) == 1


def test_concurrent_runners_send_each_reminder_once(pctx, engine, listing, person):
    listing_id = listing(stock=50, consumable=True, reorder_days=3)
    t0 = utcnow()
    buyers = [person() for _ in range(3)]
    for buyer in buyers:
        buy(at(pctx, t0), buyer, listing_id)
    later = at(pctx, t0 + 4 * DAY)
    sent = race(4, lambda _i: reviews.send_running_low_reminders(later))
    assert sum(sent) == 3
    assert [len(reminders_for(pctx, b.id)) for b in buyers] == [1, 1, 1]


def test_the_due_jobs_runner_sends_reminders_and_releases_purchases(pctx, engine, listing, person):
    from lib.services import jobs

    listing_id = listing(stock=5, consumable=True, reorder_days=2)
    t0 = utcnow()
    buy(at(pctx, t0), person(), listing_id)
    report = jobs.run_due_jobs(at(pctx, t0 + 3 * DAY), "shop-test")
    assert report is not None and report["reminders_sent"] == 1 and report["purchases_released"] == 0
