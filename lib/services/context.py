"""What every use case is handed: a unit-of-work factory, ports and a clock."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from lib.domain.accounts import SessionPolicy
from lib.domain.images import StoredImage
from lib.services.accounts.ports import PasswordHasher
from lib.services.messaging.ports import Mailer
from lib.services.payments.ports import PaymentGateway
from lib.services.ports import ImageStore
from lib.services.reads import ReadCache
from lib.services.uow import AbstractUnitOfWork


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, kw_only=True)
class AppContext:
    uow: Callable[..., AbstractUnitOfWork]
    hasher: PasswordHasher
    images: ImageStore
    cookie_secret: str  # signs the sign-in cookie; always from the settings, never a default
    mailer: Mailer | None = None
    make_cover: Callable[[str, str], bytes] | None = None
    # Validates, strips and re-encodes one upload (raises ImageRejected), then stores it.
    process_image: Callable[[bytes], StoredImage] | None = None
    payments: PaymentGateway | None = None
    key_prefix: str = ""  # per-database prefix for payment idempotency keys
    base_url: str = "http://localhost:8501"  # COCREATE_BASE_URL, or this default when it is not set
    base_url_fixed: bool = False  # COCREATE_BASE_URL was set: every link uses it, not the request's host
    currency: str = "USD"
    demo_mode: bool = True
    cookie_secure: bool = False
    session_policy: SessionPolicy = field(default_factory=SessionPolicy)
    clock: Callable[[], datetime] = field(default=utcnow)
    reads: ReadCache = field(default_factory=ReadCache)  # public reads shared by every session

    def now(self) -> datetime:
        return self.clock()
