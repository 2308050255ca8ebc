"""A short-lived cache of public reads shared by every session of one server process.

What may go in: what any visitor may see and what is the same for everyone (an idea's page, a feed's
first page, a listing's stock). Never one person's own data. Each entry lives `ttl` seconds at most;
a write that changes what an entry shows forgets it at once (`forget`), so the person who acted sees
the change in the run their click starts, and everyone else within `ttl` (other replicas too).

A read that started before a write finished must not put the old value back after the write forgot
it: every key has a generation, bumped by `forget`, and a loaded value is kept only if its key's
generation did not move while it was loading.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")
MAX_ENTRIES = 4096
# Groups of shared reads and the services that forget them when they write.
CATEGORIES = "categories"  # the category list (lib.services.ideas.browse / settings)
RATES = "rates"  # the fee rates as shown, e.g. the referral rate in share boxes (lib.services.ledger)


class ReadCache:
    def __init__(self, ttl: float = 5.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[tuple[Hashable, Hashable], tuple[float, Any]] = {}
        self._generations: dict[Hashable, int] = {}

    def get(self, group: Hashable, load: Callable[[], T], *, key: Hashable = None, ttl: float | None = None) -> T:
        """The cached value of (`group`, `key`), or `load()`'s, kept `ttl` seconds (default the cache's).
        A group names what a write can change: ("idea", 3), ("listing", 7), "feeds"."""
        now, slot = self._clock(), (group, key)
        with self._lock:
            found = self._entries.get(slot)
            if found is not None and found[0] > now:
                return found[1]  # type: ignore[no-any-return]
            generation = self._generations.get(group, 0)
        value = load()
        with self._lock:
            if self._generations.get(group, 0) == generation:
                if len(self._entries) >= MAX_ENTRIES:
                    self._drop_expired(now)
                self._entries[slot] = (now + (self.ttl if ttl is None else ttl), value)
        return value

    def forget(self, *groups: Hashable) -> None:
        """Drop what these groups hold, and whatever a read already under way would put back."""
        with self._lock:
            for group in groups:
                self._generations[group] = self._generations.get(group, 0) + 1
            for slot in [s for s in self._entries if s[0] in groups]:
                del self._entries[slot]

    def _drop_expired(self, now: float) -> None:
        for slot in [s for s, (until, _) in self._entries.items() if until <= now]:
            del self._entries[slot]
        while len(self._entries) >= MAX_ENTRIES:  # all fresh: drop the oldest-inserted
            del self._entries[next(iter(self._entries))]
