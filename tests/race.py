"""Racing threads for the concurrency tests: n attempts released together at a barrier."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

RACE_TIMEOUT = 60.0


def race(n: int, attempt: Callable[[int], Any], *, expected: type[Exception] | tuple[type[Exception], ...] = (),
         timeout: float = RACE_TIMEOUT) -> list[Any]:
    """Run attempt(0..n-1) on n threads released together; results in order, each what it returned or the
    `expected` exception it raised. Any other error (a broken barrier too) is raised here once all have
    finished, and threads still running after `timeout` seconds are a TimeoutError."""
    barrier = threading.Barrier(n, timeout=timeout)
    results: list[Any] = [None] * n
    unexpected: list[Exception] = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = attempt(i)
        except expected as exc:
            results[i] = exc
        except Exception as exc:  # noqa: BLE001 - raised in the test's own thread below
            unexpected.append(exc)

    threads = [threading.Thread(target=run, args=(i,), name=f"race-{i}") for i in range(n)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    if running := sum(thread.is_alive() for thread in threads):
        raise TimeoutError(f"{running} of {n} racing threads still running after {timeout:g} s")
    if unexpected:
        raise ExceptionGroup(f"{len(unexpected)} of {n} racing threads failed", unexpected)
    return results


def kinds(results: list[Any]) -> dict[str, int]:
    """How many results of each type name, e.g. {"str": 1, "TokenInvalid": 19}."""
    counted: dict[str, int] = {}
    for r in results:
        counted[type(r).__name__] = counted.get(type(r).__name__, 0) + 1
    return counted
