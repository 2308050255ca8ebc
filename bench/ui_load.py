"""Concurrent sessions at the protocol level (bench/ui_proto.py): no Chromium on the server's cores.

Each of K sessions is signed in as its own demo account (a sign-in made on the bench side through
the app's services against the same SQLite file, sent as the sign-in cookie on the handshake) and
loops over a mix for a fixed time: open Discover, switch feed (Top/New), open its idea (the card's
Open button, else the idea's address), support it or withdraw that support (alternately; follow or
unfollow when the idea takes no support), open a listing. An interaction is one rerun request
until its final script_finished. Per K: interactions per second in total, latency p50/p95, the
server's CPU over the window (% of one core, and ms per interaction) and its RSS before, at peak
(sampled every 0.5 s) and a few seconds after the sessions closed; "before" is after one warm-up
session went through the mix (`load_warmup`: the first visit of each page imports its modules,
which is start-up, not what sessions hold). Streamlit keeps a disconnected session for
`server.disconnectedSessionTTL` (120 s by default) before it may drop it, so "after" is what a
server holds right after its visitors leave. The baseline runs the same way at one K, clicking its
button.
"""

from __future__ import annotations

import asyncio
import sqlite3
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.feed import percentile
from bench.ui_proto import Session
from bench.ui_server import CpuWindow, bench_context, cpu_seconds, rss_mb, session_cookie

CLOSE_WAIT_S = 4
LISTING_ID = 1


def _query(data_dir: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(f"file:{data_dir / 'cocreate.db'}?mode=ro", uri=True) as db:
        return db.execute(sql).fetchall()


def sessions_for(data_dir: Path, n: int) -> list[tuple[tuple[str, str], int]]:
    """(sign-in cookie, idea) for n sessions: demo accounts that are not staff (staff pages differ),
    each with a published idea it did not write, far enough from its threshold that a few supports
    do not make it winning (it would stop taking support)."""
    accounts = _query(data_dir, "SELECT id, email FROM users WHERE email LIKE '%@demo.cocreate.test' AND id NOT IN "
                                "(SELECT user_id FROM user_roles WHERE role IN ('admin', 'moderator')) ORDER BY id")[:n]
    ideas = _query(data_dir, "SELECT i.id, i.author_id FROM ideas i JOIN categories c ON c.id = i.category_id WHERE "
                             "i.status = 'published' AND c.support_threshold - i.support_count >= 8 ORDER BY i.id")
    picked = []
    for i, (user_id, _) in enumerate(accounts):
        others = [idea for idea, author in ideas[i:] + ideas[:i] if author != user_id]
        picked.append(others[0])
    with bench_context(data_dir) as ctx:
        return [(session_cookie(ctx, email), idea) for (_, email), idea in zip(accounts, picked, strict=True)]


class Actor:
    """One session's loop over the mix; records (interaction, ms)."""

    def __init__(self, session: Session, idea_id: int) -> None:
        self.s, self.idea_id, self.i = session, idea_id, 0
        self.done: list[tuple[str, float]] = []

    async def start(self) -> None:
        await self.s.connect()
        await self.s.open()

    async def discover(self) -> tuple[str, float]:
        return "open_discover", await self.s.open()

    async def switch_feed(self) -> tuple[str, float]:
        feed = self.s.find("button_group", key="discover.feed")
        if feed is None:
            return await self.discover()
        self.i += 1
        return "switch_feed", await self.s.choose(feed, feed.options[1 + self.i % 2])  # Top / New

    async def open_idea(self) -> tuple[str, float]:
        card = self.s.find("button", key=f"open_idea_{self.idea_id}")
        if card is not None:
            return "open_idea", await self.s.click(card)
        return "open_idea", await self.s.open("idea", f"id={self.idea_id}")

    async def support(self) -> tuple[str, float]:
        s = self.s
        # By key, not label: some demo accounts read the app in Korean.
        if (submit := s.find("button", form="idea.support_form")) is not None:
            return "support", await s.click(submit)
        if (withdraw := s.find("button", key="idea.unsupport")) is not None:
            return "withdraw_support", await s.click(withdraw)
        if (follow := s.find("button", key="idea.follow")) is not None:
            return "follow", await s.click(follow)
        return await self.open_idea()

    async def listing(self) -> tuple[str, float]:
        return "open_listing", await self.s.open("listing", f"id={LISTING_ID}")

    async def loop(self, until: float) -> None:
        mix = [self.discover, self.switch_feed, self.open_idea, self.support, self.listing]
        step = 0
        while time.perf_counter() < until:
            self.done.append(await mix[step % len(mix)]())
            step += 1


class Clicker(Actor):
    """The baseline's session: click its one button, again and again."""

    async def loop(self, until: float) -> None:
        while time.perf_counter() < until:
            button = self.s.find("button", key="click")
            if button is None:
                raise RuntimeError("the baseline's button is missing")
            self.done.append(("click", await self.s.click(button)))


async def _level(name: str, url: str, pid: int, actors: list[Actor], duration: float) -> dict[str, Any]:
    rss_before = rss_mb(pid)
    peak = [rss_before]
    stop = asyncio.Event()

    async def watch() -> None:
        while not stop.is_set():
            peak.append(rss_mb(pid))
            await asyncio.sleep(0.5)

    watcher = asyncio.create_task(watch())
    try:
        await asyncio.gather(*(a.start() for a in actors))
        with CpuWindow(pid) as window:
            until = time.perf_counter() + duration
            await asyncio.gather(*(a.loop(until) for a in actors))
    finally:
        await asyncio.gather(*(a.s.close() for a in actors), return_exceptions=True)
        stop.set()
        await watcher
    await asyncio.sleep(CLOSE_WAIT_S)
    rss_after = rss_mb(pid)
    done = [d for a in actors for d in a.done]
    ms = [m for _, m in done]
    by_name: dict[str, list[float]] = {}
    for n, m in done:
        by_name.setdefault(n, []).append(m)
    return {"name": name, "k": len(actors), "window_s": round(window.wall_s, 1), "interactions": len(done),
            "interactions_per_s": round(len(done) / window.wall_s, 2),
            "p50_ms": round(statistics.median(ms), 1), "p95_ms": round(percentile(ms, 0.95), 1),
            "server_cpu_pct": window.pct, "server_cpu_ms_per_interaction": round(1000 * window.cpu_s / len(done), 1),
            "rss_before_mb": rss_before, "rss_peak_mb": max(peak), "rss_after_mb": rss_after,
            "rss_after_ratio": round(rss_after / rss_before, 2),
            "p50_ms_by_interaction": {n: round(statistics.median(v), 1) for n, v in sorted(by_name.items())}}


def run_load(url: str, pid: int, data_dir: Path, levels: list[int], duration: float,
             emit: Callable[[dict], None]) -> None:
    sessions = sessions_for(data_dir, max(levels))
    cold = rss_mb(pid)
    warm = asyncio.run(_warm_up(url, *sessions[0]))
    emit({"name": "load_warmup", "interactions": warm, "rss_cold_mb": cold, "rss_warm_mb": rss_mb(pid)})
    for k in levels:
        actors = [Actor(Session(url, cookie), idea) for cookie, idea in sessions[:k]]
        emit(asyncio.run(_level("load", url, pid, actors, duration)))


async def _warm_up(url: str, cookie: tuple[str, str], idea_id: int) -> int:
    """One session through the mix twice, then closed: the first visit of each page imports its
    modules and fills the caches, which is start-up, not what a session holds."""
    actor = Actor(Session(url, cookie), idea_id)
    await actor.start()
    steps = [actor.discover, actor.switch_feed, actor.open_idea, actor.support, actor.listing] * 2
    try:
        for step in steps:
            await step()
    finally:
        await actor.s.close()
    await asyncio.sleep(CLOSE_WAIT_S)
    return len(steps)


def run_baseline_load(url: str, pid: int, k: int, duration: float, emit: Callable[[dict], None]) -> None:
    actors: list[Actor] = [Clicker(Session(url), 0) for _ in range(k)]
    emit(asyncio.run(_level("load_baseline", url, pid, actors, duration)))


async def _per_page(url: str, pid: int, cookie: tuple[str, str], idea_id: int, n: int) -> list[dict[str, Any]]:
    rows = []
    actor = Actor(Session(url, cookie), idea_id)
    await actor.start()
    try:
        async def discover_step(i: int) -> tuple[str, float]:
            if i % 3 == 0:
                return await actor.switch_feed()
            name, key = ("next_page", "discover.next") if i % 3 == 1 else ("previous_page", "discover.prev")
            button = actor.s.find("button", key=key)
            return (name, await actor.s.click(button)) if button else await actor.switch_feed()

        async def idea_step(i: int) -> tuple[str, float]:
            return await (actor.open_idea() if i % 3 == 0 else actor.support())

        for page, step in (("discover", discover_step), ("idea", idea_step)):
            for i in range(3):
                await step(i)  # warm-up, not counted
            samples = []
            before = cpu_seconds(pid)
            for i in range(n):
                samples.append(await step(i))
            cpu_ms = (cpu_seconds(pid) - before) * 1000
            ms = [m for _, m in samples]
            rows.append({"name": "server_cpu_per_interaction", "page": page, "n": n,
                         "server_cpu_ms_per_interaction": round(cpu_ms / n, 1),
                         "p50_ms": round(statistics.median(ms), 1), "p95_ms": round(percentile(ms, 0.95), 1),
                         "interactions": sorted({name for name, _ in samples})})
            await actor.s.open()
    finally:
        await actor.s.close()
    return rows


def run_per_page_cpu(url: str, pid: int, data_dir: Path, n: int, emit: Callable[[dict], None]) -> None:
    """Server CPU per interaction on Discover and on the idea page, one session (K=1)."""
    cookie, idea = sessions_for(data_dir, 1)[0]
    for row in asyncio.run(_per_page(url, pid, cookie, idea, n)):
        emit(row)
