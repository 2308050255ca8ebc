"""The shared cache of public reads: entries expire, writes forget them at once, and a read that was
under way when a write forgot its group never puts the old value back."""

from __future__ import annotations

import threading

from lib.services.reads import MAX_ENTRIES, ReadCache


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_value_is_kept_for_its_ttl_then_read_again():
    clock, loads = Clock(), []
    cache = ReadCache(ttl=5, clock=clock)

    def load() -> int:
        loads.append(1)
        return len(loads)

    assert cache.get("feeds", load, key="hot") == 1
    clock.now += 4.9
    assert cache.get("feeds", load, key="hot") == 1
    assert cache.get("feeds", load, key="new") == 2, "another key of the group is its own entry"
    clock.now += 0.2
    assert cache.get("feeds", load, key="hot") == 3
    assert cache.get(("listing", 1), load, key="stock", ttl=1) == 4
    clock.now += 1.0
    assert cache.get(("listing", 1), load, key="stock", ttl=1) == 5


def test_forget_drops_every_key_of_a_group_and_only_that_group():
    cache, n = ReadCache(clock=Clock()), iter(range(100))
    for key in ("a", "b"):
        cache.get(("idea", 1), lambda: next(n), key=key)
    other = cache.get(("idea", 2), lambda: next(n))
    cache.forget(("idea", 1))
    assert cache.get(("idea", 1), lambda: "fresh", key="a") == "fresh"
    assert cache.get(("idea", 1), lambda: "fresh", key="b") == "fresh"
    assert cache.get(("idea", 2), lambda: "never") == other


def test_a_read_under_way_during_a_write_does_not_put_the_old_value_back():
    cache = ReadCache(clock=Clock())
    loading, written = threading.Event(), threading.Event()

    def slow_old_read() -> str:
        loading.set()
        written.wait(5)
        return "old"

    reader = threading.Thread(target=lambda: cache.get("feeds", slow_old_read))
    reader.start()
    loading.wait(5)
    cache.forget("feeds")  # the write commits and forgets while the read is still loading
    written.set()
    reader.join(5)
    assert cache.get("feeds", lambda: "new") == "new"


def test_it_stays_bounded():
    clock = Clock()
    cache = ReadCache(ttl=60, clock=clock)
    for i in range(MAX_ENTRIES + 50):
        cache.get("feeds", lambda i=i: i, key=i)
    assert len(cache._entries) <= MAX_ENTRIES
    assert cache.get("feeds", lambda: "again", key=MAX_ENTRIES + 49) == MAX_ENTRIES + 49, "the newest stays"
