"""All or nothing, exactly once: at the deadline (or when the cap sells out) a campaign is
decided; a funded one charges every pre-order, a failed one releases every hold.

Crash safety: a pre-order is claimed (pledged -> charging) and its attempt written to the
ledger in one committed transaction *before* the gateway is called; the outcome is recorded
after. A run that dies in between leaves the row in `charging` with an open attempt, and the
next run asks the gateway for that attempt's outcome before trying again with the same key.
No row lock is ever held across a gateway call."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from lib.domain.campaigns import Campaign, CampaignStatus, Preorder, PreorderStatus
from lib.domain.ideas import IdeaStatus
from lib.services.campaigns.charges import record_charge_outcome
from lib.services.campaigns.preorders import request_action
from lib.services.context import AppContext
from lib.services.ideas.lifecycle import move_idea
from lib.services.messaging.notifications import notify
from lib.services.payments import once
from lib.services.payments.keys import KeyFor, Step, payment_key
from lib.services.payments.ports import ChargeResult, PaymentUnavailable
from lib.services.routes import campaign_link

log = logging.getLogger(__name__)
RESERVATION_TIMEOUT = timedelta(minutes=15)


class SettlementIncomplete(RuntimeError):
    """Some due campaigns could not be settled in this run (each was logged); the others were."""


def settle_due(ctx: AppContext, keep_going: Callable[[], bool] | None = None) -> dict[str, int]:
    """Everything due now (called by the due-jobs runner, which holds the job lock and renews it
    through `keep_going` before each campaign; False means the lock is lost and the run stops).
    A campaign that fails does not stop the others; the run then ends in SettlementIncomplete."""
    report = {"reservations_released": release_stale_reservations(ctx), "campaigns_settled": 0,
              "preorders_dropped": drop_after_grace(ctx)}
    with ctx.uow(write=False) as uow:
        due = uow.campaigns.campaigns_due(ctx.now())
    failed = []
    for campaign_id in due:
        if keep_going is not None and not keep_going():
            break
        try:
            settle_campaign(ctx, campaign_id, keep_going)
        except PaymentUnavailable:  # the gateway is away: what is left waits for the next run
            log.warning("campaign %s: the payment gateway is unavailable; the next run goes on", campaign_id)
            continue
        except Exception:  # one campaign's failure must not stop the others
            log.exception("campaign %s could not be settled", campaign_id)
            failed.append(campaign_id)
            continue
        report["campaigns_settled"] += 1
    if failed:
        raise SettlementIncomplete(f"campaigns not settled: {', '.join(map(str, failed))}")
    return report


def settle_campaign(ctx: AppContext, campaign_id: int,
                    keep_going: Callable[[], bool] | None = None) -> CampaignStatus | None:
    """Decide one campaign and charge or release its pre-orders; `keep_going` is asked before each
    pre-order (the runner's heartbeat), and what is left when it says no waits for the next run."""
    now = ctx.now()
    with ctx.uow() as uow:
        campaign = uow.campaigns.campaign(campaign_id)
        if campaign is None:
            return None
        if campaign.status is CampaignStatus.OPEN:
            sold_out = campaign.cap_units is not None and campaign.pledged_units >= campaign.cap_units
            if now < campaign.deadline and not sold_out:
                return campaign.status
            met = uow.campaigns.committed_units(campaign_id) >= campaign.goal_units
            target = CampaignStatus.SETTLING if met else CampaignStatus.FAILED
            values = {} if met else {"settled_at": now}
            if uow.campaigns.move_campaign(campaign_id, CampaignStatus.OPEN, target, **values) and not met:
                move_idea(uow, campaign.idea_id, IdeaStatus.CAMPAIGN_FAILED, now)
                notify(ctx, uow, campaign.maker_id, "campaign_failed", link=campaign_link(campaign_id),
                       title=campaign.title)
        uow.commit()
        campaign = uow.campaigns.campaign(campaign_id)
    assert campaign is not None
    if campaign.status is CampaignStatus.FAILED:
        _release_all(ctx, campaign, keep_going or _always)
    elif campaign.status in (CampaignStatus.SETTLING, CampaignStatus.FUNDED):
        _charge_all(ctx, campaign, keep_going or _always)
    return campaign.status


def _always() -> bool:
    return True


def _charge_all(ctx: AppContext, campaign: Campaign, keep_going: Callable[[], bool]) -> None:
    with ctx.uow(write=False) as uow:
        todo = uow.campaigns.preorders_for_campaign(campaign.id, [PreorderStatus.PLEDGED, PreorderStatus.CHARGING])
    unresolved = 0
    for preorder in todo:
        if not keep_going():  # the lock is lost: the rest is the next run's (the campaign stays settling)
            return
        if not _charge_one(ctx, campaign, preorder):
            unresolved += 1
    if campaign.status is CampaignStatus.SETTLING and unresolved == 0:
        now = ctx.now()
        with ctx.uow() as uow:
            if uow.campaigns.move_campaign(campaign.id, CampaignStatus.SETTLING, CampaignStatus.FUNDED, settled_at=now):
                move_idea(uow, campaign.idea_id, IdeaStatus.FUNDED, now)
                notify(ctx, uow, campaign.maker_id, "campaign_funded_maker", link=campaign_link(campaign.id),
                       title=campaign.title)
                for follower in uow.idea_repo.followers(campaign.idea_id):
                    notify(ctx, uow, follower, "campaign_funded", link=campaign_link(campaign.id),
                           title=campaign.title)
            uow.commit()


def _charge_one(ctx: AppContext, campaign: Campaign, preorder: Preorder) -> bool:
    """Charge one pre-order at most once; False when its outcome is still unknown."""
    gateway = ctx.payments
    if gateway is None:
        raise PaymentUnavailable()
    now = ctx.now()
    if preorder.status is PreorderStatus.CHARGING:
        with ctx.uow(write=False) as uow:
            attempt = uow.campaigns.open_attempt(preorder.id)
        if attempt is None:  # claimed, but the ledger row is missing: cannot happen (one transaction)
            log.error("pre-order %s is charging without an open attempt", preorder.id)
            return False
        key = attempt.idempotency_key
        try:
            known = gateway.find_charge(preorder.customer_ref or "", key)
        except PaymentUnavailable:
            log.warning("charge of pre-order %s is still in doubt; the next run asks again", preorder.id)
            return False
        if known is not None:
            _record(ctx, key, known)
            return True
    else:
        attempt_no = preorder.attempts + 1
        kind = Step.CAPTURE if preorder.hold_ref else Step.CHARGE
        key = payment_key(ctx, KeyFor.PREORDER, preorder.id, kind, attempt_no)
        with ctx.uow() as uow:
            if not uow.campaigns.move_preorder(preorder.id, [PreorderStatus.PLEDGED], PreorderStatus.CHARGING, now,
                                               attempts=attempt_no):
                return True  # someone else has it
            uow.campaigns.start_attempt(preorder.id, key, kind, preorder.amount, now)
            uow.commit()
    try:
        if preorder.hold_ref:
            result = gateway.capture(preorder.hold_ref, key)
        elif not (preorder.customer_ref and preorder.method_ref):  # never a pledge without a card, but if so:
            result = ChargeResult("failed", None, "no_saved_card", "No saved card to charge.")
        else:
            result = gateway.charge(preorder.customer_ref, preorder.method_ref, preorder.amount, key,
                                    f"{campaign.title} × {preorder.quantity}",
                                    {"preorder_id": str(preorder.id), "attempt_key": key})
    except PaymentUnavailable:
        log.warning("charge of pre-order %s is in doubt; the next run reconciles it", preorder.id)
        return False
    _record(ctx, key, result)
    return True


def _record(ctx: AppContext, key: str, result: ChargeResult) -> None:
    with ctx.uow() as uow:
        record_charge_outcome(ctx, uow, key, result)
        uow.commit()


def _release_all(ctx: AppContext, campaign: Campaign, keep_going: Callable[[], bool]) -> None:
    """The goal was not met: every pledge is let go (its hold released). A hold the gateway will not
    release now keeps its pre-order pledged, so the next run tries again (campaigns_due finds it)."""
    gateway = ctx.payments
    with ctx.uow(write=False) as uow:
        pledged = uow.campaigns.preorders_for_campaign(campaign.id, [PreorderStatus.PLEDGED])
    for preorder in pledged:
        if not keep_going():
            return
        if preorder.hold_ref and gateway is not None:
            try:
                gateway.release(preorder.hold_ref, payment_key(ctx, KeyFor.PREORDER, preorder.id, Step.RELEASE))
            except PaymentUnavailable:
                log.warning("hold of pre-order %s was not released; the next run tries again", preorder.id)
                continue
        with ctx.uow() as uow:
            if uow.campaigns.move_preorder(preorder.id, [PreorderStatus.PLEDGED], PreorderStatus.RELEASED, ctx.now()):
                notify(ctx, uow, preorder.user_id, "campaign_failed_backer", link=campaign_link(campaign.id),
                       title=campaign.title)
            uow.commit()


def release_stale_reservations(ctx: AppContext) -> int:
    """Reservations whose card step never finished (a closed tab, a crash) give their units back."""
    released = 0
    with ctx.uow() as uow:
        for preorder in uow.campaigns.stale_reservations(ctx.now() - RESERVATION_TIMEOUT):
            if uow.campaigns.forget_reservation(preorder.id):
                uow.campaigns.release_units(preorder.campaign_id, preorder.user_id, preorder.quantity)
                once.forget(uow, preorder.user_id, request_action(preorder.campaign_id), preorder.id)
                released += 1
        uow.commit()
    return released


def drop_after_grace(ctx: AppContext) -> int:
    dropped = 0
    now = ctx.now()
    with ctx.uow() as uow:
        for preorder in uow.campaigns.grace_expired(now):
            if uow.campaigns.move_preorder(preorder.id, [PreorderStatus.PAYMENT_FAILED], PreorderStatus.DROPPED, now):
                uow.campaigns.release_units(preorder.campaign_id, preorder.user_id, preorder.quantity)
                notify(ctx, uow, preorder.user_id, "preorder_dropped", link=campaign_link(preorder.campaign_id))
                dropped += 1
        uow.commit()
    return dropped


def ledger_totals(ctx: AppContext, campaign_id: int) -> dict[str, Any]:
    """What the ledger says was charged, next to what the pre-orders say (they must agree)."""
    with ctx.uow(write=False) as uow:
        preorders = uow.campaigns.preorders_for_campaign(campaign_id)
        charged = sum(a.amount.amount for p in preorders for a in uow.campaigns.attempts(p.id)
                      if a.status == "succeeded" and a.kind in ("charge", "capture"))
    paid = sum(p.amount.amount for p in preorders if p.status is PreorderStatus.PAID)
    return {"charged": charged, "paid": paid, "preorders": len(preorders)}
