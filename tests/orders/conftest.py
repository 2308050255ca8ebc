"""Helpers for the orders tests: a funded campaign's orders, a second maker, reading the inbox back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from lib.domain.accounts import Role, User
from lib.domain.orders import Order, OrderStatus
from lib.services.accounts.auth import get_user
from lib.services.campaigns import makers
from lib.services.commerce import orders
from lib.services.context import AppContext


def campaign_orders(ctx: AppContext, campaign_id: int) -> list[Order]:
    """Every order of a campaign, oldest first (read straight from the repository)."""
    with ctx.uow(write=False) as uow:
        campaign = uow.campaigns.campaign(campaign_id)
        found = uow.orders.for_maker(campaign.maker_id)
    return sorted((o for o in found if o.campaign_id == campaign_id), key=lambda o: o.id)


def get_order(ctx: AppContext, order_id: int) -> Order:
    with ctx.uow(write=False) as uow:
        order = uow.orders.get(order_id)
    assert order is not None
    return order


def statuses(ctx: AppContext, campaign_id: int) -> list[OrderStatus]:
    return [o.status for o in campaign_orders(ctx, campaign_id)]


def kinds(ctx: AppContext, user_id: int) -> list[str]:
    """The kinds of notification in a user's inbox, oldest first."""
    with ctx.uow(write=False) as uow:
        return [n.kind for n in reversed(uow.notifications.for_user(user_id, 200, 0))]


def inbox(ctx: AppContext, user_id: int, kind: str) -> list[dict[str, Any]]:
    with ctx.uow(write=False) as uow:
        return [n.params for n in reversed(uow.notifications.for_user(user_id, 200, 0)) if n.kind == kind]


@pytest.fixture
def funded(pctx, funded_campaign, maker):  # type: ignore[no-untyped-def]
    """A funded campaign with its orders: (campaign id, backers, orders oldest first)."""

    def make(backers: int = 3, quantity: int = 1) -> tuple[int, list[User], list[Order]]:
        campaign_id, people = funded_campaign(backers=backers, quantity=quantity)
        return campaign_id, people, campaign_orders(pctx, campaign_id)

    return make


@pytest.fixture
def other_maker(pctx, person) -> User:  # type: ignore[no-untyped-def]
    """A second verified maker, who must never reach the first one's orders."""
    user = person(name="Rival")
    makers.apply_as_maker(pctx, user, business_name="Rival Works", description="Also makes things.",
                          capabilities="sewing", location="Incheon")
    makers.decide_maker(pctx, person(Role.MODERATOR), user.id, True)
    found = get_user(pctx, user.id)
    assert found is not None
    return found


@pytest.fixture
def ship(pctx, maker) -> Callable[..., int]:  # type: ignore[no-untyped-def]
    def go(*order_ids: int, carrier: str = "CJ Logistics", tracking: str = "CJ-1234567") -> int:
        return orders.move_orders(pctx, maker, list(order_ids), OrderStatus.SHIPPED, carrier, tracking)

    return go
