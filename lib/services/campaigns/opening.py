"""From a chosen quote to an open campaign: the author's consent, the moderator opening it, the price
breakdown."""

from __future__ import annotations

from datetime import timedelta

from lib.domain.accounts import User
from lib.domain.campaigns import (
    DEFAULT_CAMPAIGN_DAYS,
    Campaign,
    CampaignStatus,
    NewCampaign,
    PriceBreakdown,
    QuoteStatus,
    breakdown,
    check_account_limit,
    check_cap,
    uses_hold,
)
from lib.domain.errors import InvalidInput, NotFound, found
from lib.domain.ideas import IdeaStatus
from lib.domain.limits import check_amount, check_count
from lib.domain.money import Money
from lib.domain.permissions import can_moderate, can_view_content, can_write, is_author, require
from lib.services import audit
from lib.services.context import AppContext
from lib.services.ideas.lifecycle import move_idea
from lib.services.ledger import books
from lib.services.messaging.notifications import notify
from lib.services.routes import campaign_link

MAX_CAMPAIGN_DAYS = 90


def consent_to_quote(ctx: AppContext, actor: User | None, quote_id: int) -> None:
    """The idea's author agrees to this quote (recorded; a revision voids it)."""
    with ctx.uow() as uow:
        quote = found(uow.campaigns.quote(quote_id))
        idea = found(uow.idea_repo.get(quote.idea_id))
        require(can_write & is_author, actor, idea)
        if not uow.campaigns.consent(quote_id, ctx.now()):
            raise InvalidInput("error.quote_closed")
        uow.commit()


def open_campaign(ctx: AppContext, actor: User | None, quote_id: int, *, days: int = DEFAULT_CAMPAIGN_DAYS,
                  cap_units: int | None = None, price: int | None = None,
                  per_account_limit: int | None = None) -> int:
    """A moderator picks a quote the author consented to and opens its campaign:
    price = unit cost + platform fee + creator royalty + co-creator pool; goal = MOQ; optionally a cap
    and a limit of units per account (e.g. two reservations per person)."""
    moderator = require(can_moderate, actor)
    days = check_count(days, 1, MAX_CAMPAIGN_DAYS, "error.campaign_days", max=MAX_CAMPAIGN_DAYS)
    cap_units = check_cap(cap_units)
    check_account_limit(per_account_limit)
    if price is not None:
        check_amount(price, "error.price_not_positive")
    now = ctx.now()
    with ctx.uow() as uow:
        quote = found(uow.campaigns.quote(quote_id))
        if quote.status is not QuoteStatus.OPEN:
            raise InvalidInput("error.quote_closed")
        if quote.author_consent_at is None:
            raise InvalidInput("error.no_author_consent")
        if cap_units is not None and cap_units < quote.moq:
            raise InvalidInput("error.cap_below_goal", goal=quote.moq)
        split = breakdown(quote.unit_cost, Money(price, quote.unit_cost.currency) if price is not None else None,
                          books.rates(uow, quote.unit_cost.currency).share_bps())
        idea = found(uow.idea_repo.get(quote.idea_id))
        if not move_idea(uow, idea.id, IdeaStatus.CAMPAIGN, now):
            raise InvalidInput("error.idea_not_quotable")
        deadline = now + timedelta(days=days)
        campaign_id = uow.campaigns.add_campaign(NewCampaign(
            idea_id=idea.id, maker_id=quote.maker_id, quote_id=quote.id, prices=split, goal_units=quote.moq,
            cap_units=cap_units, status=CampaignStatus.OPEN, opens_at=now, deadline=deadline,
            uses_hold=uses_hold(now, deadline), per_account_limit=per_account_limit))
        uow.campaigns.set_quote_status(quote.id, QuoteStatus.OPEN, QuoteStatus.CHOSEN, now)
        uow.campaigns.close_other_quotes(idea.id, quote.id, now)
        for follower in uow.idea_repo.followers(idea.id):
            notify(ctx, uow, follower, "campaign_opened", link=campaign_link(campaign_id), title=idea.title)
        notify(ctx, uow, quote.maker_id, "quote_chosen", link=campaign_link(campaign_id), title=idea.title)
        audit.record(ctx, uow, moderator, "open_campaign", "idea", idea.id, quote=quote.id, campaign=campaign_id,
                     price=split.price.amount, currency=split.price.currency, cap=cap_units,
                     per_account_limit=per_account_limit, days=days)
        uow.commit()
    return campaign_id


def price_preview(ctx: AppContext, unit_cost: Money) -> PriceBreakdown:
    """The lowest campaign price for a unit cost under the admin's current fee rates."""
    with ctx.uow(write=False) as uow:
        return breakdown(unit_cost, rates_bps=books.rates(uow, unit_cost.currency).share_bps())


def get_campaign(ctx: AppContext, campaign_id: int, actor: User | None = None) -> Campaign:
    """One campaign; one whose idea a moderator hid is found only by staff and its maker."""
    with ctx.uow(write=False) as uow:
        campaign = found(uow.campaigns.campaign(campaign_id))
    if not can_view_content(actor, campaign):
        raise NotFound()
    return campaign


def campaign_for_idea(ctx: AppContext, idea_id: int) -> Campaign | None:
    with ctx.uow(write=False) as uow:
        return uow.campaigns.campaign_for_idea(idea_id)
