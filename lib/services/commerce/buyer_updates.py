"""A maker talks to the buyers of one campaign or listing, and exports what is left to ship."""

from __future__ import annotations

import csv
import io

from lib.domain.accounts import User
from lib.domain.fulfilment import TO_SHIP, UPDATE_AUDIENCE, OrderUpdate, clean_update, one_scope, spreadsheet_safe
from lib.domain.orders import OrderStatus
from lib.domain.permissions import can_write, is_signed_in, require
from lib.services.campaigns.makers import check_verified_maker
from lib.services.commerce.fulfilment import own_scope
from lib.services.context import AppContext
from lib.services.messaging.notifications import notify
from lib.services.routes import Screen, href

CSV_COLUMNS = ("order", "name", "line1", "line2", "city", "postal_code", "country", "phone", "title", "quantity")
# Buyers who may read a campaign's or listing's updates: anyone who paid for something of it.
READERS = (*UPDATE_AUDIENCE, OrderStatus.REFUNDED)


def post_buyer_update(ctx: AppContext, actor: User | None, body_md: str, campaign_id: int | None = None,
                      listing_id: int | None = None) -> int:
    """Store an update on the maker's own campaign or listing and tell every buyer with a live order."""
    user = require(can_write, actor)
    one_scope(campaign_id, listing_id)
    body = clean_update(body_md)
    now = ctx.now()
    with ctx.uow() as uow:
        check_verified_maker(uow, user)
        title = own_scope(uow, user, campaign_id, listing_id, "post_buyer_update")
        update_id = uow.orders.add_update(user.id, campaign_id, listing_id, body, now)
        for buyer_id in uow.orders.buyers(campaign_id, listing_id, UPDATE_AUDIENCE):
            notify(ctx, uow, buyer_id, "buyer_update", link=href(Screen.MY_ORDERS), title=title or "")
        uow.commit()
    return int(update_id)


def list_buyer_updates(ctx: AppContext, actor: User | None, campaign_id: int | None = None,
                       listing_id: int | None = None, limit: int = 50) -> list[OrderUpdate]:
    """The updates of a campaign or listing, newest first: for its maker and its buyers."""
    user = require(is_signed_in, actor)
    one_scope(campaign_id, listing_id)
    with ctx.uow(write=False) as uow:
        if user.id not in uow.orders.buyers(campaign_id, listing_id, READERS):
            own_scope(uow, user, campaign_id, listing_id, "list_buyer_updates")
        return uow.orders.updates(campaign_id, listing_id, limit)


def shipping_list_csv(ctx: AppContext, actor: User | None, campaign_id: int | None = None,
                      listing_id: int | None = None) -> str:
    """The maker's orders still to ship (paid or in production) as CSV, safe to open in a spreadsheet."""
    user = require(is_signed_in, actor)
    with ctx.uow(write=False) as uow:
        check_verified_maker(uow, user)
        own_scope(uow, user, campaign_id, listing_id, "shipping_list")
        orders = uow.orders.for_maker_filtered(user.id, TO_SHIP, campaign_id, listing_id, limit=100_000)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for o in sorted(orders, key=lambda order: order.id):
        a = o.address
        writer.writerow([spreadsheet_safe(v) for v in (o.id, a.name, a.line1, a.line2, a.city, a.postal_code,
                                                        a.country, a.phone, o.title, o.quantity)])
    return out.getvalue()

