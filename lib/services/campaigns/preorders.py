"""Pre-orders against an open campaign: the saved card, the reservation, cancelling, a new card after a
failed charge (nothing is charged before settlement)."""

from __future__ import annotations

import logging

from lib.domain.accounts import User
from lib.domain.campaigns import (
    Campaign,
    CampaignClosed,
    CampaignStatus,
    Preorder,
    PreorderLimitReached,
    PreorderStatus,
    ShippingAddress,
    SoldOut,
    check_quantity,
)
from lib.domain.errors import InvalidInput, NotFound, RequestInProgress, found
from lib.domain.money import Money
from lib.domain.permissions import can_change_preorder, can_write, require
from lib.services.campaigns.opening import get_campaign
from lib.services.context import AppContext
from lib.services.ledger.referrals import attributed_referrer
from lib.services.payments import once
from lib.services.payments.cards import payment_customer, payment_gateway, save_card
from lib.services.payments.keys import KeyFor, Step, payment_key
from lib.services.payments.ports import CardSetup, PaymentMethodRefused, PaymentUnavailable

log = logging.getLogger(__name__)


def begin_card_setup(ctx: AppContext, actor: User | None, campaign_id: int) -> CardSetup:
    """Start saving a card in the browser (Stripe.js); the local gateway needs no browser step."""
    user = require(can_write, actor)
    campaign = get_campaign(ctx, campaign_id, user)
    if not campaign.accepts_preorders(ctx.now()):
        raise CampaignClosed()
    key = payment_key(ctx, KeyFor.CAMPAIGN_SETUP, user.id, campaign_id, ctx.now().timestamp())
    return payment_gateway(ctx).start_card_setup(payment_customer(ctx, user), key)


def request_action(campaign_id: int) -> str:
    """What a pre-order's request key is claimed for."""
    return f"preorder:{campaign_id}"


def place_preorder(ctx: AppContext, actor: User | None, campaign_id: int, *, quantity: int,
                   address: ShippingAddress, card: str | None = None, setup_ref: str | None = None,
                   request_key: str | None = None) -> int:
    """Reserve units (the database refuses to oversell or to pass the per-account limit), save the
    card (or hold it, for a short campaign), then pledge. Nothing is charged; a refused card leaves
    nothing behind. Sent again with the same `request_key`, it returns the first pre-order instead."""
    user = require(can_write, actor)
    check_quantity(quantity)
    once.check_key(request_key)
    gateway = payment_gateway(ctx)
    now = ctx.now()
    with ctx.uow() as uow:
        replay = once.claim(ctx, uow, user.id, request_action(campaign_id), request_key)
        if replay is not None:  # the same form sent again: the first pre-order, once it is pledged
            first = uow.campaigns.preorder(replay.result_id or 0)
            if first is None or first.status is PreorderStatus.RESERVED:
                raise RequestInProgress()
            return int(first.id)
        campaign = found(uow.campaigns.campaign(campaign_id))
        if campaign.status is not CampaignStatus.OPEN or now >= campaign.deadline or campaign.hidden:
            raise CampaignClosed()
        limit = campaign.per_account_limit
        if not uow.campaigns.reserve_backer_units(campaign_id, user.id, quantity, limit):
            held = uow.campaigns.backer_units(campaign_id, user.id)
            raise PreorderLimitReached(limit=limit, left=max(0, (limit or 0) - held))
        if not uow.campaigns.reserve_units(campaign_id, quantity, now):
            raise SoldOut(count=campaign.units_left or 0)
        preorder_id = uow.campaigns.add_preorder(campaign, user.id, quantity, address, gateway.name, now,
                                                 referrer_id=attributed_referrer(uow, user.id, now))
        once.record(uow, user.id, request_key, preorder_id)
        uow.commit()
    try:
        saved = save_card(ctx, user, setup_ref, card, payment_key(ctx, KeyFor.PREORDER, preorder_id, Step.SETUP))
        hold_ref = None
        if campaign.uses_hold:
            hold_ref = _authorize(ctx, preorder_id, saved.customer_ref, saved.method_ref,
                                  campaign.price.times(quantity))
    except (PaymentMethodRefused, PaymentUnavailable):
        with ctx.uow() as uow:
            if uow.campaigns.forget_reservation(preorder_id):
                uow.campaigns.release_units(campaign_id, user.id, quantity)
                once.forget(uow, user.id, request_action(campaign_id), preorder_id)  # nothing pledged: may retry
            uow.commit()
        raise
    with ctx.uow() as uow:
        pledged = uow.campaigns.move_preorder(
            preorder_id, [PreorderStatus.RESERVED], PreorderStatus.PLEDGED, ctx.now(), customer_ref=saved.customer_ref,
            method_ref=saved.method_ref, card_brand=saved.brand, card_last4=saved.last4, hold_ref=hold_ref)
        uow.commit()
    if not pledged:  # the reservation timed out meanwhile (the job released it): undo the hold
        if hold_ref:
            _release_hold(ctx, preorder_id, hold_ref)
        raise CampaignClosed()
    return preorder_id


def _authorize(ctx: AppContext, preorder_id: int, customer: str, method: str, amount: Money) -> str:
    gateway = payment_gateway(ctx)
    key = payment_key(ctx, KeyFor.PREORDER, preorder_id, Step.AUTHORIZE)
    with ctx.uow() as uow:
        uow.campaigns.start_attempt(preorder_id, key, "authorize", amount, ctx.now())
        uow.commit()
    result = gateway.authorize(customer, method, amount, key, f"Pre-order {preorder_id}",
                               {"preorder_id": str(preorder_id), "attempt_key": key})
    with ctx.uow() as uow:
        uow.campaigns.finish_attempt(key, result.status, result.payment_ref, result.failure_code, ctx.now())
        uow.commit()
    if result.status != "authorized" or not result.payment_ref:
        raise PaymentMethodRefused()
    return str(result.payment_ref)


def cancel_preorder(ctx: AppContext, actor: User | None, preorder_id: int) -> None:
    """Backers can cancel until the deadline; their units go back and any hold is released."""
    user = require(can_write, actor)
    now = ctx.now()
    with ctx.uow() as uow:
        preorder = found(uow.campaigns.preorder(preorder_id))
        require(can_change_preorder, user, preorder)
        campaign = uow.campaigns.campaign(preorder.campaign_id)
        if campaign is None or campaign.status is not CampaignStatus.OPEN or now >= campaign.deadline:
            raise CampaignClosed()
        if not uow.campaigns.move_preorder(preorder_id, [PreorderStatus.PLEDGED], PreorderStatus.CANCELLED, now):
            raise InvalidInput("error.preorder_not_cancellable")
        uow.campaigns.release_units(preorder.campaign_id, preorder.user_id, preorder.quantity)
        uow.commit()
    if preorder.hold_ref:
        _release_hold(ctx, preorder_id, preorder.hold_ref)


def _release_hold(ctx: AppContext, preorder_id: int, hold_ref: str) -> None:
    """Let a hold go after its pre-order ended; if the gateway is away, the hold lapses at the provider
    by itself (nothing is ever captured from a pre-order that is no longer pledged)."""
    try:
        payment_gateway(ctx).release(hold_ref, payment_key(ctx, KeyFor.PREORDER, preorder_id, Step.RELEASE))
    except PaymentUnavailable:
        log.warning("hold %s of pre-order %s was not released; it lapses at the provider", hold_ref, preorder_id)


def _failed_preorder(ctx: AppContext, user: User, preorder_id: int) -> Preorder:
    with ctx.uow(write=False) as uow:
        preorder = uow.campaigns.preorder(preorder_id)
    if preorder is None:
        raise NotFound()
    require(can_change_preorder, user, preorder)
    if preorder.status is not PreorderStatus.PAYMENT_FAILED:
        raise InvalidInput("error.preorder_not_in_grace")
    return preorder


def begin_card_update(ctx: AppContext, actor: User | None, preorder_id: int) -> CardSetup:
    """Start saving a new card in the browser for a pre-order whose charge failed (its grace period);
    update_card then finishes it with the setup reference."""
    user = require(can_write, actor)
    preorder = _failed_preorder(ctx, user, preorder_id)
    key = payment_key(ctx, KeyFor.PREORDER, preorder_id, Step.UPDATE, preorder.attempts,
                      ctx.now().timestamp())
    return payment_gateway(ctx).start_card_setup(payment_customer(ctx, user), key)


def update_card(ctx: AppContext, actor: User | None, preorder_id: int, *, card: str | None = None,
                setup_ref: str | None = None) -> None:
    """During the grace period after a failed charge, save a new card; the next job run retries."""
    user = require(can_write, actor)
    preorder = _failed_preorder(ctx, user, preorder_id)
    saved = save_card(ctx, user, setup_ref, card,
                      payment_key(ctx, KeyFor.PREORDER, preorder_id, Step.SETUP, preorder.attempts))
    with ctx.uow() as uow:
        if not uow.campaigns.move_preorder(preorder_id, [PreorderStatus.PAYMENT_FAILED], PreorderStatus.PLEDGED,
                                           ctx.now(), customer_ref=saved.customer_ref, method_ref=saved.method_ref,
                                           card_brand=saved.brand, card_last4=saved.last4, failure_message=None,
                                           hold_ref=None):
            raise InvalidInput("error.preorder_not_in_grace")
        uow.commit()


def my_preorders(ctx: AppContext, actor: User | None) -> list[tuple[Preorder, Campaign]]:
    """Everything I pre-ordered, newest first (suspended accounts can still read theirs)."""
    user = actor
    if user is None:
        return []
    with ctx.uow(write=False) as uow:
        result = []
        for preorder in uow.campaigns.preorders_for_user(user.id):
            campaign = uow.campaigns.campaign(preorder.campaign_id)
            if campaign is not None:
                result.append((preorder, campaign))
        return result
