"""Request throttles: a database counter per address and per client for actions that send e-mail
or create accounts."""

from __future__ import annotations

import hashlib

from lib.domain.accounts import ThrottleRule
from lib.domain.errors import TooManyRequests
from lib.services.context import AppContext


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def throttle(ctx: AppContext, rule: ThrottleRule, email: str, client: str | None) -> None:
    """Count one request for this address and this client; TooManyRequests past either limit.

    Runs before anything looks the address up, so a registered and an unknown address take the
    same path and get the same answer. Counted in its own transaction: a refused request that
    fails later (a taken address, a weak password) still counts."""
    now = ctx.now()
    with ctx.uow() as uow:
        allowed = uow.throttles.hit(f"{rule.action}:address:{_digest(email)}", now, rule.window,
                                    rule.per_address)
        if allowed and client is not None:
            allowed = uow.throttles.hit(f"{rule.action}:client:{_digest(client)}", now, rule.window,
                                        rule.per_client)
        if not allowed:
            raise TooManyRequests(count=int(rule.window.total_seconds() // 60))
        uow.commit()
