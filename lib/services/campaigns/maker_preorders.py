"""What a maker sees of the pre-orders on their own campaigns (and never another maker's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lib.domain.accounts import User
from lib.domain.campaigns import (
    Campaign,
    Preorder,
    PreorderStatus,
    ShippingAddress,
)
from lib.domain.errors import found
from lib.domain.money import Money
from lib.domain.permissions import can_see_as_maker, is_signed_in, require
from lib.services.campaigns.makers import check_verified_maker
from lib.services.context import AppContext

# Pre-orders that still count toward (or were paid for) the campaign.
COMMITTED = frozenset({PreorderStatus.PLEDGED, PreorderStatus.CHARGING, PreorderStatus.PAID,
                       PreorderStatus.PAYMENT_FAILED})


@dataclass(frozen=True)
class MakerOrder:
    """One backer's pre-order as its maker sees it: no card, no payment references, and the
    shipping address only once it is paid (the maker ships paid orders, nothing else)."""

    id: int
    quantity: int
    amount: Money
    status: PreorderStatus
    created_at: datetime
    address: ShippingAddress | None


@dataclass(frozen=True)
class CampaignOrders:
    campaign: Campaign
    orders: list[MakerOrder]

    @property
    def committed_units(self) -> int:
        return sum(o.quantity for o in self.orders if o.status in COMMITTED)

    @property
    def paid_units(self) -> int:
        return sum(o.quantity for o in self.orders if o.status is PreorderStatus.PAID)


def _order(preorder: Preorder) -> MakerOrder:
    paid = preorder.status is PreorderStatus.PAID
    return MakerOrder(preorder.id, preorder.quantity, preorder.amount, preorder.status, preorder.created_at,
                      preorder.address if paid else None)


def maker_orders(ctx: AppContext, actor: User | None, campaign_id: int | None = None) -> list[CampaignOrders]:
    """The verified maker's campaigns (newest first) with their pre-orders; with `campaign_id`,
    just that one, which must be the maker's own."""
    user = require(is_signed_in, actor)
    with ctx.uow(write=False) as uow:
        check_verified_maker(uow, user)
        if campaign_id is None:
            campaigns = uow.campaigns.campaigns_by_maker(user.id)
        else:
            campaign = found(uow.campaigns.campaign(campaign_id))
            require(can_see_as_maker, user, campaign)
            campaigns = [campaign]
        return [CampaignOrders(c, [_order(p) for p in uow.campaigns.preorders_for_campaign(c.id)
                                   if p.status is not PreorderStatus.RESERVED])
                for c in campaigns]
