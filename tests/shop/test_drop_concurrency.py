"""The proof of a fair drop: 10 units, 1 per account, 200 concurrent attempts -> exactly 10 sold, to
10 different accounts, on SQLite and PostgreSQL. Two shapes: 100 accounts each trying twice (the stock
decides), and 10 accounts each trying 20 times (the per-account limit decides: without it, ten units
would almost never land on ten different accounts)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lib.adapters.db.schema import commerce as commerce_tables
from lib.domain.orders import OrderStatus, OutOfStock, PurchaseLimitReached
from lib.services.context import utcnow
from tests.race import race
from tests.shop.conftest import buy

STOCK = 10


@pytest.mark.parametrize(("accounts", "tries"), [(100, 2), (10, 20)])
def test_two_hundred_concurrent_buyers_get_exactly_ten_units_one_each(pctx, engine, listing, person, gateway,
                                                                      accounts, tries):
    listing_id = listing(stock=STOCK, per_account_limit=1, starts_at=utcnow() - timedelta(seconds=1))
    people = [person(name="Fan") for _ in range(accounts)]
    attempts = [user for _ in range(tries) for user in people]
    results = race(len(attempts), lambda i: buy(pctx, attempts[i], listing_id),
                   expected=(OutOfStock, PurchaseLimitReached), timeout=600)  # any other error is raised
    sold = [user.id for user, r in zip(attempts, results, strict=True) if not isinstance(r, Exception)]
    out_of_stock = [r for r in results if isinstance(r, OutOfStock)]
    over_limit = [r for r in results if isinstance(r, PurchaseLimitReached)]

    assert len(sold) + len(out_of_stock) + len(over_limit) == accounts * tries == 200
    assert len(sold) == STOCK and len(set(sold)) == STOCK, "ten units, ten different accounts"
    o, b = commerce_tables.orders.c, commerce_tables.listing_buyers.c
    with engine.connect() as conn:
        listings = commerce_tables.listings
        assert conn.execute(select(listings.c.sold).where(listings.c.id == listing_id)).scalar_one() == STOCK
        statuses = dict(conn.execute(select(o.status, func.count()).where(o.listing_id == listing_id)
                                     .group_by(o.status)).all())
        assert statuses == {OrderStatus.PAID.value: STOCK}, "no pending or orphan order is left"
        buyers = set(conn.execute(select(o.buyer_id).where(o.listing_id == listing_id)).scalars())
        assert buyers == set(sold)
        held = dict(conn.execute(select(b.user_id, b.quantity).where(b.listing_id == listing_id, b.quantity > 0)).all())
        assert held == dict.fromkeys(sold, 1)
    assert len([c for c in gateway.charges if "shop-order" in c[0]]) == STOCK, "charged exactly ten times"
