"""What the order use cases share: who may act as a maker, on what, and when a campaign is done."""

from __future__ import annotations

from lib.domain.accounts import User
from lib.domain.campaigns import PreorderStatus
from lib.domain.errors import PermissionDenied, found
from lib.domain.fulfilment import is_fulfilled
from lib.domain.ideas import IdeaStatus
from lib.domain.orders import DEFAULT_AUTO_CONFIRM_DAYS
from lib.domain.permissions import is_maker_of
from lib.services.context import AppContext
from lib.services.ideas.lifecycle import move_idea
from lib.services.messaging.notifications import notify
from lib.services.routes import Screen, href
from lib.services.uow import AbstractUnitOfWork

AUTO_CONFIRM_KEY = "auto_confirm_days"
# Pre-orders that may still become orders: a campaign with any of these is not done yet.
STILL_CHARGING = (PreorderStatus.PLEDGED, PreorderStatus.CHARGING, PreorderStatus.PAYMENT_FAILED)


def own_scope(uow: AbstractUnitOfWork, user: User, campaign_id: int | None, listing_id: int | None,
              action: str) -> str | None:
    """Check a campaign or listing filter is the maker's own; returns its title (None without one)."""
    title = None
    if campaign_id is not None:
        campaign = found(uow.campaigns.campaign(campaign_id))
        if not is_maker_of(user, campaign):
            raise PermissionDenied(action=action)
        title = campaign.title
    if listing_id is not None:
        listing = found(uow.shop.listing(listing_id))
        if not is_maker_of(user, listing):
            raise PermissionDenied(action=action)
        title = listing.title
    return title


def auto_confirm_days(uow: AbstractUnitOfWork) -> int:
    raw = (uow.settings.get(AUTO_CONFIRM_KEY) or "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_AUTO_CONFIRM_DAYS


def mark_fulfilled_if_done(ctx: AppContext, uow: AbstractUnitOfWork, campaign_id: int | None) -> bool:
    """Inside the caller's transaction: when every order of the campaign is delivered or refunded
    (at least one delivered) and no pre-order can still be charged, the idea is fulfilled."""
    if campaign_id is None:
        return False
    if not is_fulfilled(uow.orders.status_counts(campaign_id=campaign_id)):
        return False
    if uow.campaigns.preorders_for_campaign(campaign_id, STILL_CHARGING):
        return False
    campaign = uow.campaigns.campaign(campaign_id)
    if campaign is None or not move_idea(uow, campaign.idea_id, IdeaStatus.FULFILLED, ctx.now()):
        return False
    notify(ctx, uow, campaign.maker_id, "campaign_fulfilled", link=href(Screen.MAKER), title=campaign.title)
    return True
