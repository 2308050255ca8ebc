"""Ledger fixtures: paid orders written straight to the orders table (independent of the order flow),
for an idea with co-creators and, for campaign orders, an open campaign on it (both databases)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from lib.domain.accounts import Role, User
from lib.domain.campaigns import ShippingAddress
from lib.domain.money import Money
from lib.domain.orders import NewOrder, Order, OrderSource, OrderStatus
from lib.services.context import AppContext
from lib.services.ideas import cocreation
from lib.services.ledger import books
from tests.commerce_fixtures import ADDRESS


@dataclass
class Deal:
    """An idea ready to sell: its author, co-creators (earliest first), maker and campaign (if any)."""

    idea_id: int
    title: str
    author: User
    co_creators: list[User]
    maker: User
    campaign_id: int | None


def add_order(ctx: AppContext, deal: Deal, buyer: User, *, amount: int | None = None, quantity: int = 1,
              referrer: User | None = None, source: str = "campaign", currency: str | None = None,
              title: str | None = None) -> int:
    """A paid order row, as the order flow would leave it."""
    now = ctx.now()
    with ctx.uow() as uow:
        campaign = uow.campaigns.campaign(deal.campaign_id) if deal.campaign_id and source == "campaign" else None
        unit = campaign.price.amount if campaign else (amount or 10_000) // quantity
        cur = currency or ctx.currency
        order_id = uow.orders.add(NewOrder(
            source=OrderSource(source), buyer_id=buyer.id, maker_id=deal.maker.id, idea_id=deal.idea_id,
            campaign_id=campaign.id if campaign else None, title=title or deal.title, quantity=quantity,
            unit_price=Money(unit, cur), amount=Money(amount or unit * quantity, cur), status=OrderStatus.PAID,
            referrer_id=referrer.id if referrer else None, gateway="fake",
            payment_ref=f"pi_{buyer.id}_{now.timestamp()}", address=ShippingAddress.clean(**ADDRESS),
            created_at=now, paid_at=now))
        uow.commit()
    return int(order_id)


def get_order(ctx: AppContext, order_id: int) -> Order:
    with ctx.uow(write=False) as uow:
        order = uow.orders.get(order_id)
    assert order is not None
    return order


def sell(ctx: AppContext, deal: Deal, buyer: User, **kwargs: Any) -> Order:
    """A paid order whose sale is posted (and committed), as the order flow does it."""
    order = get_order(ctx, add_order(ctx, deal, buyer, **kwargs))
    with ctx.uow() as uow:
        books.post_sale(ctx, uow, order)
        uow.commit()
    return order


def refund(ctx: AppContext, order: Order, refund_id: int, amount: int) -> None:
    from lib.domain.money import Money

    with ctx.uow() as uow:
        books.post_refund(ctx, uow, order, refund_id, Money(amount, order.amount.currency))
        uow.commit()


def entries(engine, order_id: int | None = None) -> list[tuple[str, str, int | None, int]]:  # type: ignore[no-untyped-def]
    """(kind, account, user, amount) of every entry, optionally of one order's transactions."""
    from sqlalchemy import text

    sql = ("SELECT t.kind, e.account, e.user_id, e.amount FROM ledger_entries e "
           "JOIN ledger_transactions t ON t.id = e.transaction_id")
    params: dict[str, Any] = {}
    if order_id is not None:
        sql += " WHERE t.order_id = :o"
        params["o"] = order_id
    with engine.connect() as conn:
        return [(k, a, u, int(v)) for k, a, u, v in conn.execute(text(sql + " ORDER BY e.id"), params)]


@pytest.fixture
def deal(pctx, maker, winning_idea, open_campaign, person) -> Callable[..., Deal]:
    """An idea (winning, then in campaign) with `co_creators` accepted improvements (earliest first)."""

    def make(co_creators: int = 2, campaign: bool = True, unit_cost: int = 1000) -> Deal:
        idea_id, author = winning_idea
        people = []
        for i in range(co_creators):
            proposer = person(name=f"CoCreator {i}")
            suggestion = cocreation.propose_improvement(pctx, proposer, idea_id, f"Idea {i}: add a strap.")
            cocreation.decide_improvement(pctx, author, suggestion, True)
            people.append(proposer)
        campaign_id = open_campaign(goal=1, unit_cost=unit_cost) if campaign else None
        with pctx.uow(write=False) as uow:
            title = uow.idea_repo.get(idea_id).title
        return Deal(idea_id, title, author, people, maker, campaign_id)

    return make


@pytest.fixture
def admin(person) -> User:
    return person(Role.ADMIN, name="Admin")
