"""The due-jobs runner on real SQLite and PostgreSQL: a job that fails stops no other job; a hold the
gateway will not release waits for the next run; a long run keeps its (short) lock alive, so two
runners never settle the same campaign at once, even when one run outlives the lock's first expiry."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta

import pytest
from sqlalchemy import text

from lib.adapters.db.repos.campaigns import SqlCampaignRepository
from lib.domain.campaigns import CampaignStatus, PreorderStatus, ShippingAddress
from lib.services import jobs
from lib.services.accounts import auth
from lib.services.campaigns import opening, preorders, settlement
from lib.services.context import utcnow
from lib.services.payments.ports import PaymentUnavailable
from tests.commerce_fixtures import ADDRESS, GOOD, FakeGateway, past_deadline
from tests.integration.support import RecordingMailer
from tests.unit.fakes import FakeClock


@dataclass
class StubbornGateway(FakeGateway):
    """The fake gateway; while `refuse_release` is set it cannot release holds (PaymentUnavailable)."""

    refuse_release: bool = False
    releases: list[str] = field(default_factory=list)

    def release(self, payment_ref, idempotency_key):
        if self.refuse_release:
            raise PaymentUnavailable("gateway timed out")
        self.releases.append(payment_ref)
        super().release(payment_ref, idempotency_key)


@pytest.fixture
def gateway() -> StubbornGateway:
    return StubbornGateway()


def pledge(pctx, user, campaign_id, quantity=1):  # type: ignore[no-untyped-def]
    return preorders.place_preorder(pctx, user, campaign_id, quantity=quantity,
                                    address=ShippingAddress.clean(**ADDRESS), card=GOOD)


def preorder_status(pctx, preorder_id: int) -> PreorderStatus:  # type: ignore[no-untyped-def]
    with pctx.uow(write=False) as uow:
        return uow.campaigns.preorder(preorder_id).status


def test_a_hold_the_gateway_will_not_release_stops_no_other_job(pctx, engine, open_campaign, person, gateway):
    campaign_id = open_campaign(goal=5, days=3)  # short: pre-orders place a hold
    backer = person()
    held = pledge(pctx, backer, campaign_id)
    assert opening.get_campaign(pctx, campaign_id).uses_hold
    past_deadline(engine, campaign_id)  # goal not met: every hold is to be released
    mailer = RecordingMailer()
    ctx = replace(pctx, mailer=mailer)
    auth.sign_up(ctx, email="new@example.com", display_name="New", password="long-enough-pw")  # mail queued
    gateway.refuse_release = True

    report = jobs.run_due_jobs(ctx, "runner-1")

    assert report is not None and report["failed"] == [], report
    assert opening.get_campaign(pctx, campaign_id).status is CampaignStatus.FAILED
    assert preorder_status(pctx, held) is PreorderStatus.PLEDGED, "left for the next run"
    assert report["emails_sent"] == 1 and [to for to, _s, _b in mailer.sent] == ["new@example.com"]
    assert {"orders_synced", "reminders_sent", "deliveries_confirmed", "sessions_purged"} <= set(report)

    gateway.refuse_release = False
    assert jobs.run_due_jobs(ctx, "runner-1")["failed"] == []  # type: ignore[index]
    assert preorder_status(pctx, held) is PreorderStatus.RELEASED
    assert len(gateway.releases) == 1


def test_a_charge_in_doubt_when_the_gateway_is_away_waits_for_the_next_run(pctx, engine, open_campaign, person,
                                                                          gateway, monkeypatch):
    campaign_id = open_campaign(goal=1)
    pledged = pledge(pctx, person(), campaign_id)
    past_deadline(engine, campaign_id)
    with pctx.uow() as uow:  # a run that died after claiming the charge
        uow.campaigns.move_preorder(pledged, [PreorderStatus.PLEDGED], PreorderStatus.CHARGING, pctx.now(), attempts=1)
        uow.campaigns.start_attempt(pledged, "k-1", "charge", opening.get_campaign(pctx, campaign_id).price, pctx.now())
        uow.campaigns.move_campaign(campaign_id, CampaignStatus.OPEN, CampaignStatus.SETTLING)
        uow.commit()

    def away(customer_ref, attempt_key):  # type: ignore[no-untyped-def]
        raise PaymentUnavailable("gateway timed out")

    monkeypatch.setattr(gateway, "find_charge", away)
    report = jobs.run_due_jobs(pctx, "runner-1")
    assert report is not None and report["failed"] == []
    assert preorder_status(pctx, pledged) is PreorderStatus.CHARGING
    assert opening.get_campaign(pctx, campaign_id).status is CampaignStatus.SETTLING


def test_one_campaign_that_fails_stops_neither_the_others_nor_the_other_jobs(pctx, engine, open_campaign, person,
                                                                             monkeypatch):
    campaign_id = open_campaign(goal=1)
    pledge(pctx, person(), campaign_id)
    past_deadline(engine, campaign_id)
    real = settlement.settle_campaign

    def broken_first(ctx, cid, keep_going=None):  # type: ignore[no-untyped-def]
        if cid == -1:
            raise RuntimeError("a row the code cannot read")
        return real(ctx, cid, keep_going)

    original_due = SqlCampaignRepository.campaigns_due
    monkeypatch.setattr(SqlCampaignRepository, "campaigns_due", lambda self, now: [-1, *original_due(self, now)])
    monkeypatch.setattr(settlement, "settle_campaign", broken_first)

    report = jobs.run_due_jobs(pctx, "runner-1")

    assert report is not None and report["failed"] == ["settlement"]
    assert opening.get_campaign(pctx, campaign_id).status is CampaignStatus.FUNDED, "the other campaign settled"
    assert "sessions_purged" in report and "orders_synced" in report
    with engine.connect() as conn:
        failures, error = conn.execute(text(
            "SELECT failures, last_error FROM job_runs WHERE name = 'settlement'")).one()
    assert failures == 1 and "campaigns not settled: -1" in error
    assert jobs.run_due_jobs(pctx, "runner-1")["deferred"] == ["settlement"]  # type: ignore[index]


def test_a_killed_runner_blocks_the_jobs_for_about_a_minute(pctx):
    clock = FakeClock(utcnow())
    ctx = replace(pctx, clock=clock)
    with ctx.uow() as uow:
        assert uow.job_locks.acquire(jobs.LOCK_NAME, "killed", clock(), clock() + jobs.LOCK_TTL)
        uow.commit()
    clock.advance(seconds=59)
    assert jobs.run_due_jobs(ctx, "next") is None
    clock.advance(seconds=2)
    assert jobs.run_due_jobs(ctx, "next") is not None


@dataclass
class SlowGateway(FakeGateway):
    """Each charge takes `seconds` on the injected clock; halfway through, `meanwhile()` runs (another
    runner trying its luck)."""

    clock: FakeClock | None = None
    seconds: float = 40
    meanwhile: object = None

    def charge(self, customer_ref, method_ref, amount, idempotency_key, description, metadata):
        assert self.clock is not None
        self.clock.advance(seconds=self.seconds / 2)
        if callable(self.meanwhile):
            self.meanwhile()
        self.clock.advance(seconds=self.seconds / 2)
        return super().charge(customer_ref, method_ref, amount, idempotency_key, description, metadata)


def test_two_runners_never_settle_one_campaign_at_once_even_past_the_first_expiry(pctx, engine, open_campaign,
                                                                                  person, monkeypatch):
    """Ten charges of 40 s each: the run lasts 400 s, past the lock's first expiry (60 s) and past the
    5 minutes the lock used to last. Another runner tries in the middle of every charge and never gets
    in, because the run renews its lock before each charge; each pre-order is charged once."""
    campaign_id = open_campaign(goal=10)
    backers = [person(name=f"Backer {i}") for i in range(10)]
    for backer in backers:
        pledge(pctx, backer, campaign_id)
    past_deadline(engine, campaign_id)

    clock = FakeClock(utcnow())
    gateway = SlowGateway(clock=clock)
    ctx = replace(pctx, payments=gateway, clock=clock)
    second: list[object] = []

    def other_runner() -> None:
        if len(second) < 10:  # not from inside its own run, if it ever got in
            second.append("trying")
            second[-1] = jobs.run_due_jobs(ctx, "runner-2")

    gateway.meanwhile = other_runner
    settling: set[int] = set()
    overlaps: list[int] = []
    real = settlement.settle_campaign

    def watched(c, cid, keep_going=None):  # type: ignore[no-untyped-def]
        if cid in settling:
            overlaps.append(cid)
        settling.add(cid)
        try:
            return real(c, cid, keep_going)
        finally:
            settling.discard(cid)

    monkeypatch.setattr(settlement, "settle_campaign", watched)
    started = clock()

    report = jobs.run_due_jobs(ctx, "runner-1")

    assert report is not None and report["failed"] == [] and report["campaigns_settled"] == 1
    assert clock() - started >= timedelta(seconds=400) > jobs.LOCK_TTL
    assert second == [None] * 10, "the other runner never got the lock"
    assert overlaps == []
    keys = [key for key, _amount, _currency in gateway.charges]
    assert len(keys) == len(set(keys)) == 10, "each pre-order charged once"
    assert opening.get_campaign(pctx, campaign_id).status is CampaignStatus.FUNDED
    assert jobs.run_due_jobs(ctx, "runner-2") is not None, "released at the end"
