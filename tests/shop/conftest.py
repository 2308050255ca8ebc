"""Shop fixtures: a campaign whose idea is fulfilled (set with SQL: fulfilment is another area's
job), a listing on it, a second verified maker, and buying with the fake gateway."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from sqlalchemy import update

from lib.adapters.db.schema import commerce as commerce_tables
from lib.adapters.db.schema import core as t
from lib.domain.accounts import Role, User
from lib.domain.campaigns import ShippingAddress
from lib.domain.money import Money
from lib.services.accounts import auth
from lib.services.campaigns import makers, opening
from lib.services.commerce import checkout, shop
from lib.services.context import AppContext
from tests.commerce_fixtures import ADDRESS, GOOD


def buy(ctx: AppContext, user: User, listing_id: int, quantity: int = 1, card: str = GOOD) -> int:
    return checkout.buy_now(ctx, user, listing_id, quantity=quantity, address=ShippingAddress.clean(**ADDRESS),
                            card=card)


def set_order(engine, order_id: int, **values: object) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as conn:
        conn.execute(update(commerce_tables.orders).where(commerce_tables.orders.c.id == order_id).values(**values))


def deliver(engine, order_id: int, when: datetime | None = None) -> None:  # type: ignore[no-untyped-def]
    from lib.services.context import utcnow

    set_order(engine, order_id, status="delivered", delivered_at=when or utcnow())


@pytest.fixture
def fulfilled(pctx, engine, funded_campaign) -> Callable[..., tuple[int, int, list[User]]]:
    """A funded campaign whose idea is FULFILLED: (campaign id, idea id, backers)."""

    def make(backers: int = 2) -> tuple[int, int, list[User]]:
        campaign_id, people = funded_campaign(backers=backers)
        idea_id = opening.get_campaign(pctx, campaign_id).idea_id
        with engine.begin() as conn:
            conn.execute(update(t.ideas).where(t.ideas.c.id == idea_id).values(status="fulfilled"))
        return campaign_id, idea_id, people

    return make


@pytest.fixture
def listing(pctx, maker, fulfilled) -> Callable[..., int]:
    """List the fulfilled campaign's product (price 25.00 USD unless told), by its maker."""

    def make(stock: int = 10, price: int = 2500, **terms: object) -> int:
        campaign_id, _, _ = fulfilled()
        return shop.create_listing(pctx, maker, campaign_id, price=Money(price, "USD"), stock=stock,
                                   description_md="Folds flat; **steel** hinge.", **terms)  # type: ignore[arg-type]

    return make


@pytest.fixture
def other_maker(pctx, person) -> User:
    """A second verified maker (who makes nothing here)."""
    user = person(name="Other Maker")
    makers.apply_as_maker(pctx, user, business_name="Elsewhere Co", description="Other things.",
                          capabilities="printing", location="Seoul")
    makers.decide_maker(pctx, person(Role.MODERATOR), user.id, True)
    found = auth.get_user(pctx, user.id)
    assert found is not None
    return found
