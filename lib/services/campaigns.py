"""From a chosen quote to an open campaign, and pre-orders against it (nothing charged yet)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from lib.domain.accounts import User
from lib.domain.campaigns import (
    DEFAULT_CAMPAIGN_DAYS,
    Campaign,
    CampaignClosed,
    CampaignStatus,
    Preorder,
    PreorderStatus,
    PriceBreakdown,
    QuoteStatus,
    ShippingAddress,
    SoldOut,
    breakdown,
    check_quantity,
    uses_hold,
)
from lib.domain.errors import InvalidInput, NotFound, PermissionDenied
from lib.domain.ideas import IdeaStatus
from lib.domain.money import Money
from lib.domain.permissions import can_moderate, can_write, is_author, require
from lib.services import ledger
from lib.services.context import AppContext
from lib.services.notifications import notify
from lib.services.payments import CardSetup, PaymentMethodRefused, PaymentUnavailable
from lib.services.referrals import attributed_referrer

MAX_CAMPAIGN_DAYS = 90


def consent_to_quote(ctx: AppContext, actor: User | None, quote_id: int) -> None:
    """The idea's author agrees to this quote (recorded; a revision voids it)."""
    with ctx.uow() as uow:
        quote = uow.campaigns.quote(quote_id)
        if quote is None:
            raise NotFound()
        idea = uow.idea_repo.get(quote.idea_id)
        if idea is None:
            raise NotFound()
        require(can_write & is_author, actor, idea)
        if not uow.campaigns.consent(quote_id, ctx.now()):
            raise InvalidInput("error.quote_closed")
        uow.commit()


def open_campaign(ctx: AppContext, actor: User | None, quote_id: int, *, days: int = DEFAULT_CAMPAIGN_DAYS,
                  cap_units: int | None = None, price: int | None = None) -> int:
    """A moderator picks a quote the author consented to and opens its campaign:
    price = unit cost + platform fee + creator royalty + co-creator pool; goal = MOQ."""
    moderator = require(can_moderate, actor)
    if not 1 <= days <= MAX_CAMPAIGN_DAYS:
        raise InvalidInput("error.campaign_days", max=MAX_CAMPAIGN_DAYS)
    now = ctx.now()
    with ctx.uow() as uow:
        quote = uow.campaigns.quote(quote_id)
        if quote is None:
            raise NotFound()
        if quote.status is not QuoteStatus.OPEN:
            raise InvalidInput("error.quote_closed")
        if quote.author_consent_at is None:
            raise InvalidInput("error.no_author_consent")
        if cap_units is not None and cap_units < quote.moq:
            raise InvalidInput("error.cap_below_goal", goal=quote.moq)
        split = breakdown(quote.unit_cost, Money(price, quote.unit_cost.currency) if price is not None else None,
                          ledger.rates(uow, quote.unit_cost.currency).share_bps())
        idea = uow.idea_repo.get(quote.idea_id)
        if idea is None:
            raise NotFound()
        if not uow.idea_repo.move(idea.id, [IdeaStatus.WINNING], IdeaStatus.CAMPAIGN, now):
            raise InvalidInput("error.idea_not_quotable")
        deadline = now + timedelta(days=days)
        campaign_id = uow.campaigns.add_campaign({
            "idea_id": idea.id, "maker_id": quote.maker_id, "quote_id": quote.id,
            "unit_cost": quote.unit_cost.amount, "price": split.price.amount, "currency": split.price.currency,
            "platform_fee": split.platform_fee.amount, "creator_royalty": split.creator_royalty.amount,
            "co_creator_pool": split.co_creator_pool.amount, "goal_units": quote.moq, "cap_units": cap_units,
            "status": CampaignStatus.OPEN.value, "opens_at": now, "deadline": deadline,
            "uses_hold": uses_hold(now, deadline)})
        uow.campaigns.set_quote_status(quote.id, QuoteStatus.OPEN, QuoteStatus.CHOSEN, now)
        uow.campaigns.close_other_quotes(idea.id, quote.id, now)
        for follower in uow.idea_repo.followers(idea.id):
            notify(ctx, uow, follower, "campaign_opened", link=f"/campaign?id={campaign_id}", title=idea.title)
        notify(ctx, uow, quote.maker_id, "quote_chosen", link=f"/campaign?id={campaign_id}", title=idea.title)
        uow.moderation.add_audit(moderator.id, "open_campaign", "idea", idea.id, "",
                                 {"quote": quote.id, "price": split.price.amount, "cap": cap_units, "days": days},
                                 now)
        uow.commit()
    return campaign_id


def price_preview(ctx: AppContext, unit_cost: Money) -> PriceBreakdown:
    """The lowest campaign price for a unit cost under the admin's current fee rates."""
    with ctx.uow(write=False) as uow:
        return breakdown(unit_cost, rates_bps=ledger.rates(uow, unit_cost.currency).share_bps())


def get_campaign(ctx: AppContext, campaign_id: int) -> Campaign:
    with ctx.uow(write=False) as uow:
        campaign = uow.campaigns.campaign(campaign_id)
    if campaign is None:
        raise NotFound()
    return campaign


def campaign_for_idea(ctx: AppContext, idea_id: int) -> Campaign | None:
    with ctx.uow(write=False) as uow:
        return uow.campaigns.campaign_for_idea(idea_id)


def payment_gateway(ctx: AppContext) -> Any:
    """The configured gateway, or PaymentUnavailable (campaigns and the shop share it)."""
    if ctx.payments is None:
        raise PaymentUnavailable()
    return ctx.payments


def payment_customer(ctx: AppContext, user: User) -> str:
    """The user's customer at the gateway, created once and remembered."""
    gateway = payment_gateway(ctx)
    with ctx.uow(write=False) as uow:
        known = uow.campaigns.customer_ref(user.id, gateway.name)
    if known:
        return str(known)
    created = gateway.create_customer(user.email, user.display_name, f"{ctx.key_prefix}customer:{user.id}")
    with ctx.uow() as uow:
        ref = uow.campaigns.save_customer_ref(user.id, gateway.name, created)
        uow.commit()
    return ref


def begin_card_setup(ctx: AppContext, actor: User | None, campaign_id: int) -> CardSetup:
    """Start saving a card in the browser (Stripe.js); the local gateway needs no browser step."""
    user = require(can_write, actor)
    campaign = get_campaign(ctx, campaign_id)
    if not campaign.accepts_preorders(ctx.now()):
        raise CampaignClosed()
    key = f"{ctx.key_prefix}setup:{user.id}:{campaign_id}:{ctx.now().timestamp()}"
    return payment_gateway(ctx).start_card_setup(payment_customer(ctx, user), key)  # type: ignore[no-any-return]


def place_preorder(ctx: AppContext, actor: User | None, campaign_id: int, *, quantity: int,
                   address: ShippingAddress, card: str | None = None, setup_ref: str | None = None) -> int:
    """Reserve units (the database refuses to oversell), save the card (or hold it, for a short
    campaign), then pledge. Nothing is charged; a refused card leaves nothing behind."""
    user = require(can_write, actor)
    check_quantity(quantity)
    gateway = payment_gateway(ctx)
    now = ctx.now()
    with ctx.uow() as uow:
        campaign = uow.campaigns.campaign(campaign_id)
        if campaign is None:
            raise NotFound()
        if campaign.status is not CampaignStatus.OPEN or now >= campaign.deadline:
            raise CampaignClosed()
        if not uow.campaigns.reserve_units(campaign_id, quantity, now):
            raise SoldOut(left=campaign.units_left or 0)
        preorder_id = uow.campaigns.add_preorder(campaign, user.id, quantity, address, gateway.name, now,
                                                 referrer_id=attributed_referrer(uow, user.id, now))
        uow.commit()
    try:
        customer = payment_customer(ctx, user)
        if setup_ref is None:
            setup_ref = gateway.start_card_setup(customer, f"{ctx.key_prefix}preorder:{preorder_id}:setup").setup_ref
        saved = gateway.finish_card_setup(customer, setup_ref, card)
        hold_ref = None
        if campaign.uses_hold:
            hold_ref = _authorize(ctx, preorder_id, customer, saved.method_ref, campaign.price.times(quantity))
    except (PaymentMethodRefused, PaymentUnavailable):
        with ctx.uow() as uow:
            if uow.campaigns.forget_reservation(preorder_id):
                uow.campaigns.release_units(campaign_id, quantity)
            uow.commit()
        raise
    with ctx.uow() as uow:
        pledged = uow.campaigns.move_preorder(
            preorder_id, [PreorderStatus.RESERVED], PreorderStatus.PLEDGED, ctx.now(), customer_ref=customer,
            method_ref=saved.method_ref, card_brand=saved.brand, card_last4=saved.last4, hold_ref=hold_ref)
        uow.commit()
    if not pledged:  # the reservation timed out meanwhile (the job released it): undo the hold
        if hold_ref:
            gateway.release(hold_ref, f"{ctx.key_prefix}preorder:{preorder_id}:release")
        raise CampaignClosed()
    return preorder_id


def _authorize(ctx: AppContext, preorder_id: int, customer: str, method: str, amount: Money) -> str:
    gateway = payment_gateway(ctx)
    key = f"{ctx.key_prefix}preorder:{preorder_id}:authorize"
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
        preorder = uow.campaigns.preorder(preorder_id)
        if preorder is None:
            raise NotFound()
        if preorder.user_id != user.id:
            raise PermissionDenied(action="cancel_preorder")
        campaign = uow.campaigns.campaign(preorder.campaign_id)
        if campaign is None or campaign.status is not CampaignStatus.OPEN or now >= campaign.deadline:
            raise CampaignClosed()
        if not uow.campaigns.move_preorder(preorder_id, [PreorderStatus.PLEDGED], PreorderStatus.CANCELLED, now):
            raise InvalidInput("error.preorder_not_cancellable")
        uow.campaigns.release_units(preorder.campaign_id, preorder.quantity)
        uow.commit()
    if preorder.hold_ref:
        payment_gateway(ctx).release(preorder.hold_ref, f"{ctx.key_prefix}preorder:{preorder_id}:release")


def _failed_preorder(ctx: AppContext, user: User, preorder_id: int) -> Preorder:
    with ctx.uow(write=False) as uow:
        preorder = uow.campaigns.preorder(preorder_id)
    if preorder is None:
        raise NotFound()
    if preorder.user_id != user.id:
        raise PermissionDenied(action="update_card")
    if preorder.status is not PreorderStatus.PAYMENT_FAILED:
        raise InvalidInput("error.preorder_not_in_grace")
    return preorder


def begin_card_update(ctx: AppContext, actor: User | None, preorder_id: int) -> CardSetup:
    """Start saving a new card in the browser for a pre-order whose charge failed (its grace period);
    update_card then finishes it with the setup reference."""
    user = require(can_write, actor)
    preorder = _failed_preorder(ctx, user, preorder_id)
    key = f"{ctx.key_prefix}preorder:{preorder_id}:update:{preorder.attempts}:{ctx.now().timestamp()}"
    return payment_gateway(ctx).start_card_setup(payment_customer(ctx, user), key)  # type: ignore[no-any-return]


def update_card(ctx: AppContext, actor: User | None, preorder_id: int, *, card: str | None = None,
                setup_ref: str | None = None) -> None:
    """During the grace period after a failed charge, save a new card; the next job run retries."""
    user = require(can_write, actor)
    gateway = payment_gateway(ctx)
    preorder = _failed_preorder(ctx, user, preorder_id)
    customer = payment_customer(ctx, user)
    if setup_ref is None:
        key = f"{ctx.key_prefix}preorder:{preorder_id}:setup:{preorder.attempts}"
        setup_ref = gateway.start_card_setup(customer, key).setup_ref
    saved = gateway.finish_card_setup(customer, setup_ref, card)
    with ctx.uow() as uow:
        if not uow.campaigns.move_preorder(preorder_id, [PreorderStatus.PAYMENT_FAILED], PreorderStatus.PLEDGED,
                                           ctx.now(), customer_ref=customer, method_ref=saved.method_ref,
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
