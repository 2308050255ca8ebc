"""A limited-drop rush and the earnings page of a busy payee, on a scratch database.

1. Drop rush: `--buyers` accounts, each trying `--tries` times at once from `--threads` threads,
   on a drop of `--stock` units with a per-account limit of 1, through the real buy_now service
   and the local test-mode gateway. Prints the wall time, attempts per second, the latency of
   successful and refused attempts (p50/p95), and checks that exactly `stock` units were sold
   to `stock` different accounts.
2. Earnings: `--sales` delivered purchases posted to the ledger, a fifth of them referred by the
   same person; times the earnings summary and the statement of the maker (who has an entry in
   every sale) and of the referrer, after ANALYZE (as autovacuum leaves a live database).

Prints one JSON line per measurement (name, db, and p50_ms/p95_ms/n or the figures named).
"""

from __future__ import annotations

import argparse
import json
import secrets
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine

from bench.feed import measure, percentile
from bench.scratch import scratch_engine
from lib.adapters.auth.passwords import Argon2Hasher
from lib.adapters.db.uow import SqlUnitOfWork
from lib.adapters.payments.local_gateway import LocalGateway
from lib.adapters.storage.local import LocalImageStore
from lib.domain.accounts import Role, User
from lib.domain.campaigns import ShippingAddress
from lib.domain.errors import DomainError
from lib.domain.ideas import Idea, IdeaStatus
from lib.domain.money import Money
from lib.domain.orders import ListingStatus, NewListing, NewOrder, OrderSource, OrderStatus
from lib.services.commerce import checkout
from lib.services.context import AppContext
from lib.services.ledger import books

CARD = "4242424242424242"
ADDRESS = ShippingAddress.clean(name="Bench Buyer", line1="1 Test Road", city="Seoul", postal_code="04524",
                                country="KR")


def _people(ctx: AppContext, n: int) -> list[User]:
    now = ctx.now()
    with ctx.uow() as uow:
        people = [uow.users.add(User(id=0, email=f"b{i}@bench.test", display_name=f"Buyer {i}", password_hash="x",
                                     referral_code=f"B{i:07d}", created_at=now)) for i in range(n)]
        uow.commit()
    return people


def _listing(ctx: AppContext, maker: User, author: User, *, stock: int, limit: int | None) -> int:
    now = ctx.now()
    with ctx.uow() as uow:
        category = uow.catalog.add_category("bench", "Bench", "벤치", 100)
        idea = uow.catalog.add_idea(Idea(
            id=0, author_id=author.id, title="Bench drop", pitch="A bench product.", description_md="Bench.",
            category_id=category, status=IdeaStatus.LISTED, tags=["bench"], cover_image=None,
            published_at=now, support_deadline=now + timedelta(days=60), created_at=now), ctx.currency, now)
        uow.users.set_roles(maker.id, {Role.CONSUMER, Role.MAKER})
        listing_id = uow.shop.add_listing(NewListing(
            idea_id=idea.id, maker_id=maker.id, campaign_id=None, title="Bench drop", description_md="Bench.",
            price=Money(2500, ctx.currency), stock=stock, status=ListingStatus.ACTIVE, starts_at=None,
            per_account_limit=limit, consumable=False, reorder_days=30, created_at=now, updated_at=None))
        uow.commit()
    return int(listing_id)


def drop_rush(ctx: AppContext, db: str, buyers: int, tries: int, threads: int, stock: int) -> dict[str, Any]:
    maker, author, *people = _people(ctx, buyers + 2)
    listing_id = _listing(ctx, maker, author, stock=stock, limit=1)
    attempts = [person for person in people for _ in range(tries)]
    timings: dict[str, list[float]] = {"sold": [], "refused": []}
    lock = threading.Lock()

    def attempt(person: User) -> None:
        started = time.perf_counter()
        try:
            checkout.buy_now(ctx, person, listing_id, quantity=1, address=ADDRESS, card=CARD)
            outcome = "sold"
        except DomainError:
            outcome = "refused"
        with lock:
            timings[outcome].append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(attempt, attempts))
    wall = time.perf_counter() - started
    with ctx.uow(write=False) as uow:
        sold = uow.shop.listing(listing_id).sold
        paid = [o for o in uow.orders.for_maker(maker.id) if o.status is OrderStatus.PAID]
    row = {"name": "drop_rush", "db": db, "attempts": len(attempts), "threads": threads, "stock": stock,
           "sold": sold, "paid_orders": len(paid), "distinct_buyers": len({o.buyer_id for o in paid}),
           "wall_s": round(wall, 2), "attempts_per_s": round(len(attempts) / wall, 1)}
    for outcome, samples in timings.items():
        if samples:
            row[f"{outcome}_p50_ms"] = round(percentile(samples, 0.5), 1)
            row[f"{outcome}_p95_ms"] = round(percentile(samples, 0.95), 1)
    print(json.dumps(row), flush=True)
    if not (sold == stock == len(paid) == row["distinct_buyers"]):
        raise SystemExit(f"oversold or undersold: {row}")
    return row


def earnings(ctx: AppContext, engine: Engine, db: str, sales: int, repeat: int) -> None:
    maker, author, referrer, *buyers = _people(ctx, 3 + 50)
    listing_id = _listing(ctx, maker, author, stock=sales, limit=None)
    started = time.perf_counter()
    when = datetime.now(UTC) - timedelta(days=90)
    for batch in range(0, sales, 500):
        with ctx.uow() as uow:
            for i in range(batch, min(sales, batch + 500)):
                buyer = buyers[i % len(buyers)]
                price = Money(2500, ctx.currency)
                order_id = uow.orders.add(NewOrder(
                    source=OrderSource.SHOP, buyer_id=buyer.id, maker_id=maker.id,
                    idea_id=uow.shop.listing(listing_id).idea_id, listing_id=listing_id, title="Bench drop",
                    quantity=1, unit_price=price, amount=price, status=OrderStatus.DELIVERED,
                    referrer_id=referrer.id if i % 5 == 0 else None, gateway="local", payment_ref=f"lpi_bench_{i}",
                    address=ShippingAddress.clean(name="B", line1="1", city="Seoul", postal_code="04524",
                                                  country="KR"),
                    created_at=when, paid_at=when + timedelta(minutes=i)))
                books.post_sale(ctx, uow, uow.orders.get(order_id))
            uow.commit()
    print(json.dumps({"name": "post_sales", "db": db, "sales": sales,
                      "seconds": round(time.perf_counter() - started, 1)}), flush=True)
    # Statistics as a live database has them (autovacuum analyzes after a burst of inserts):
    # without them PostgreSQL picks a nested loop over the whole ledger for each payee query.
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    for who, person in (("maker", maker), ("referrer", referrer)):
        measure(f"earnings_{who}", db, partial(books.earnings, ctx, person), repeat)
        measure(f"statement_{who}", db, partial(books.statement, ctx, person), max(5, repeat // 10))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench shop", description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--buyers", type=int, default=100)
    parser.add_argument("--tries", type=int, default=2)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--stock", type=int, default=10)
    parser.add_argument("--sales", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=100)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cocreate-bench-shop-") as tmp:
        workdir = Path(tmp)
        for step in ("drop", "earnings"):
            (workdir / step).mkdir()
            with scratch_engine(args.db, workdir / step) as engine:
                ctx = AppContext(uow=partial(SqlUnitOfWork, engine), hasher=Argon2Hasher(),
                                 images=LocalImageStore(workdir / "images"), payments=LocalGateway(),
                                 key_prefix=f"bench{int(time.time())}:", cookie_secret=secrets.token_urlsafe(32))
                if step == "drop":
                    drop_rush(ctx, args.db, args.buyers, args.tries, args.threads, args.stock)
                else:
                    earnings(ctx, engine, args.db, args.sales, args.repeat)
    return 0
