"""Feed, search and idea-page timings on a scratch database of many ideas and supports.

Builds the database (SQLite file in a temp folder, or a scratch PostgreSQL database that is
dropped afterwards), then times each feed's first page, a search, and the idea page's
service call, each next to the raw SQL of the same query as a baseline. Prints one JSON
line per measurement: name, db, p50_ms, p95_ms, n.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine

from bench.scratch import scratch_engine
from lib.adapters.auth.passwords import Argon2Hasher
from lib.adapters.db.uow import SqlUnitOfWork
from lib.adapters.storage.local import LocalImageStore
from lib.services.context import AppContext
from lib.services.ideas import browse

STATUSES = ["published"] * 70 + ["winning"] * 8 + ["expired"] * 12 + ["listed"] * 4 + ["campaign"] * 3 + \
    ["pending_review"] * 2 + ["draft"]
WORDS = (
    "lamp", "chair", "bottle", "planter", "cable", "desk", "coffee", "kettle", "stool", "mat",
    "blanket", "jar", "pot", "rack", "hook", "case", "stand", "folding", "magnetic", "ceramic",
    "bamboo", "silicone", "travel", "quiet", "smart", "compact", "warm", "cool",
)


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def measure(name: str, db: str, call: Callable[[], Any], repeat: int) -> dict[str, Any]:
    for _ in range(3):
        call()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    row = {"name": name, "db": db, "p50_ms": round(statistics.median(samples), 2),
           "p95_ms": round(percentile(samples, 0.95), 2), "n": repeat}
    print(json.dumps(row), flush=True)
    return row


def _rows(n_ideas: int, n_supports: int, n_users: int, seed: int) -> tuple[list[tuple], list[tuple], list[tuple]]:
    rng = random.Random(seed)
    now = datetime.now(UTC)
    users = [(u, f"u{u}@bench.test", f"user {u}", "x", f"R{u:09d}", now) for u in range(1, n_users + 1)]
    # A skewed share of supports per idea (a few popular ideas, a long tail).
    weights = [rng.paretovariate(1.2) for _ in range(n_ideas)]
    scale = n_supports / sum(weights)
    counts = [min(n_users, int(w * scale)) for w in weights]
    short = n_supports - sum(counts)
    for i in rng.sample(range(n_ideas), n_ideas):
        if short <= 0:
            break
        add = min(short, n_users - counts[i], 50)
        counts[i] += add
        short -= add
    ideas, supports = [], []
    for i in range(n_ideas):
        idea_id = i + 1
        published = now - timedelta(seconds=rng.randint(0, 90 * 86400))
        status = STATUSES[i % len(STATUSES)]
        title = " ".join(rng.choice(WORDS) for _ in range(4)) + f" {idea_id}"
        hot = round(math.log10(max(counts[i], 1)) + published.timestamp() / 45_000, 7)
        ideas.append((idea_id, 1 + i % n_users, title, f"pitch for {title}", "**desc**", 1 + i % 5,
                      "bench", status, "USD", counts[i], published, published + timedelta(days=60),
                      published, published, hot))
        start = rng.randrange(n_users)
        supports.extend((idea_id, 1 + (start + k) % n_users, published) for k in range(counts[i]))
    return users, ideas, supports


IDEA_COLS = ("id, author_id, title, pitch, description_md, category_id, tags, status, currency, support_count, "
             "published_at, support_deadline, created_at, updated_at, hot_score")


def load(engine: Engine, n_ideas: int, n_supports: int, seed: int) -> None:
    users, ideas, supports = _rows(n_ideas, n_supports, max(2000, n_supports // max(1, n_ideas) * 40), seed)
    cats = [(c, f"cat{c}", f"Cat {c}", f"카테고리 {c}", 100) for c in range(1, 6)]
    if engine.dialect.name == "postgresql":
        raw = engine.raw_connection()
        try:
            cur = raw.cursor()
            for table, cols, rows in (
                ("categories", "id, slug, name_en, name_ko, support_threshold", cats),
                ("users", "id, email, display_name, password_hash, referral_code, created_at", users),
                ("ideas", IDEA_COLS, ideas),
                ("supports", "idea_id, user_id, created_at", supports),
            ):
                with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                    for row in rows:
                        copy.write_row(row)
            cur.execute("ANALYZE")
            raw.commit()
        finally:
            raw.close()
        return
    with engine.begin() as conn:
        dbapi = conn.connection.driver_connection
        dbapi.executemany("INSERT INTO categories (id, slug, name_en, name_ko, support_threshold) "
                          "VALUES (?,?,?,?,?)", cats)
        dbapi.executemany("INSERT INTO users (id, email, display_name, password_hash, referral_code, created_at) "
                          "VALUES (?,?,?,?,?,?)", users)
        dbapi.executemany(f"INSERT INTO ideas ({IDEA_COLS}) VALUES ({','.join('?' * 15)})", ideas)
        dbapi.executemany("INSERT INTO supports (idea_id, user_id, created_at) VALUES (?,?,?)", supports)
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()


_BASE = ("SELECT i.id, i.title, i.pitch, i.status, i.support_count, i.cover_image, i.currency, i.published_at, "
         "i.support_deadline, c.slug, coalesce(c.support_threshold, 100), u.display_name FROM ideas i "
         "LEFT JOIN categories c ON c.id = i.category_id JOIN users u ON u.id = i.author_id WHERE i.hidden = {f} ")
RAW_FEEDS = {
    "hot": "AND i.status = 'published' ORDER BY i.hot_score DESC, i.id DESC LIMIT 24",
    "top": "AND i.status IN ({public}) ORDER BY i.support_count DESC, i.id DESC LIMIT 24",
    "new": "AND i.status IN ({public}) ORDER BY i.published_at DESC, i.id DESC LIMIT 24",
    "closing": "AND i.status = 'published' AND i.support_deadline > :now ORDER BY i.support_deadline, i.id LIMIT 24",
    "almost": "AND i.status = 'published' AND i.support_count * 5 >= coalesce(c.support_threshold, 100) * 4 "
              "ORDER BY i.support_count DESC, i.id DESC LIMIT 24",
}


def run(engine: Engine, db: str, repeat: int, workdir: Path) -> list[dict[str, Any]]:
    from lib.domain.ideas import PUBLIC_STATUSES

    ctx = AppContext(uow=partial(SqlUnitOfWork, engine), hasher=Argon2Hasher(),
                     images=LocalImageStore(workdir / "images"), cookie_secret=secrets.token_urlsafe(32))
    public = ",".join(f"'{s.value}'" for s in sorted(PUBLIC_STATUSES))
    false = "false" if db == "postgres" else "0"
    results = []
    for feed, tail in RAW_FEEDS.items():
        sql = text(_BASE.format(f=false) + tail.format(public=public))

        def raw(sql: Any = sql) -> None:
            with engine.connect() as conn:
                conn.execute(sql, {"now": datetime.now(UTC)}).fetchall()

        results.append(measure(f"feed_{feed}_raw_sql", db, raw, repeat))
        results.append(measure(f"feed_{feed}", db, partial(browse.browse_ideas, ctx, feed=feed, limit=24,
                                                           with_total=False), repeat))
    search = text(_BASE.format(f=false) + f"AND i.status IN ({public}) AND (lower(i.title) LIKE :q OR "
                  "lower(i.pitch) LIKE :q OR lower(i.tags) LIKE :q) ORDER BY i.published_at DESC, i.id DESC LIMIT 24")

    def raw_search() -> None:
        with engine.connect() as conn:
            conn.execute(search, {"q": "%magnetic lamp%"}).fetchall()

    results.append(measure("search_raw_sql", db, raw_search, repeat))
    results.append(measure("search", db, partial(browse.browse_ideas, ctx, feed="new", query="magnetic lamp",
                                                 limit=24, with_total=False), repeat))
    with engine.connect() as conn:
        popular = conn.execute(text("SELECT id FROM ideas ORDER BY support_count DESC LIMIT 1")).scalar_one()
    # The same seven queries the idea page's service call makes, as hand-written SQL.
    page_sql = [text(q) for q in (
        "SELECT i.*, c.slug, coalesce(c.support_threshold, 100), u.display_name FROM ideas i "
        "LEFT JOIN categories c ON c.id = i.category_id JOIN users u ON u.id = i.author_id WHERE i.id = :id",
        "SELECT image_key FROM idea_images WHERE idea_id = :id ORDER BY position",
        "SELECT c.id, c.parent_id, c.body_md, c.created_at, c.author_id, c.hidden, u.display_name FROM comments c "
        "JOIN users u ON u.id = c.author_id WHERE c.idea_id = :id ORDER BY c.id",
        "SELECT id, body_md, created_at FROM idea_updates WHERE idea_id = :id ORDER BY id DESC",
        "SELECT s.id, s.body_md, s.image_key, s.status, s.created_at, s.proposer_id, u.display_name "
        "FROM suggestions s JOIN users u ON u.id = s.proposer_id WHERE s.idea_id = :id ORDER BY s.id",
        "SELECT u.display_name FROM co_creators cc JOIN users u ON u.id = cc.user_id WHERE cc.idea_id = :id "
        "ORDER BY cc.created_at",
        "SELECT intent_max_price, sum(intent_quantity) FROM supports WHERE idea_id = :id AND "
        "intent_quantity IS NOT NULL GROUP BY intent_max_price ORDER BY intent_max_price DESC",
    )]

    def raw_detail() -> None:
        with engine.connect() as conn:
            for sql in page_sql:
                conn.execute(sql, {"id": popular}).fetchall()

    results.append(measure("idea_page_raw_sql", db, raw_detail, repeat))
    results.append(measure("idea_page", db, partial(browse.idea_detail, ctx, None, popular), repeat))
    return results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench feed", description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--ideas", type=int, default=100_000)
    parser.add_argument("--supports", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cocreate-bench-") as tmp, scratch_engine(args.db, Path(tmp)) as engine:
        started = time.perf_counter()
        load(engine, args.ideas, args.supports, args.seed)
        print(json.dumps({"name": "load", "db": args.db, "ideas": args.ideas, "supports": args.supports,
                          "seconds": round(time.perf_counter() - started, 1)}), flush=True)
        run(engine, args.db, args.repeat, Path(tmp))
    return 0
