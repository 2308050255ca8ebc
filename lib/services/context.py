"""What every use case is handed: a unit-of-work factory, ports and a clock."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from lib.services.accounts.ports import PasswordHasher
from lib.services.ports import ImageStore, Mailer
from lib.services.uow import AbstractUnitOfWork


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class AppContext:
    uow: Callable[..., AbstractUnitOfWork]
    hasher: PasswordHasher
    images: ImageStore
    mailer: Mailer | None = None
    make_cover: Callable[[str, str], bytes] | None = None
    # Validates, strips and re-encodes one upload; returns an object with display_key/thumb_key.
    process_image: Callable[[bytes], Any] | None = None
    payments: Any = None  # a lib.services.payments.PaymentGateway (Any here avoids an import cycle)
    key_prefix: str = ""  # per-database prefix for payment idempotency keys
    base_url: str = "http://localhost:8501"
    currency: str = "USD"
    demo_mode: bool = True
    cookie_secret: str = "test-cookie-secret"  # noqa: S105 - bootstrap passes the real one
    cookie_secure: bool = False
    clock: Callable[[], datetime] = field(default=utcnow)

    def now(self) -> datetime:
        return self.clock()
