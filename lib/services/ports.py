"""Interfaces the services need; adapters implement them, fakes stand in for tests."""

from __future__ import annotations

import abc
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from lib.domain.accounts import AuthSession, EmailToken, Role, TokenPurpose, User
from lib.domain.ideas import Idea, IdeaStatus


@dataclass(frozen=True)
class OutboxMessage:
    id: int
    to_address: str
    subject: str
    body: str
    created_at: datetime
    sent_at: datetime | None
    attempts: int
    last_error: str | None


@dataclass(frozen=True)
class Notification:
    id: int
    user_id: int
    kind: str
    params: dict[str, Any]
    link: str | None
    created_at: datetime
    read_at: datetime | None


@dataclass(frozen=True)
class Category:
    id: int
    slug: str
    name_en: str
    name_ko: str
    support_threshold: int


@dataclass(frozen=True)
class IdeaCard:
    """What a feed shows of an idea (a read model, not the entity)."""

    id: int
    title: str
    pitch: str
    status: IdeaStatus
    category_slug: str | None
    support_count: int
    threshold: int
    cover_image: str | None
    author_name: str
    currency: str
    published_at: datetime | None
    support_deadline: datetime | None


@dataclass(frozen=True)
class CampaignCard:
    id: int
    idea_id: int
    title: str
    price: int
    currency: str
    goal_units: int
    cap_units: int | None
    pledged_units: int
    status: str
    deadline: datetime
    cover_image: str | None


@dataclass(frozen=True)
class ListingCard:
    id: int
    idea_id: int
    title: str
    price: int
    currency: str
    stock: int
    sold: int
    status: str
    cover_image: str | None


class UserRepository(Protocol):
    def add(self, user: User) -> User: ...
    def get(self, user_id: int) -> User | None: ...
    def get_by_email(self, email: str) -> User | None: ...
    def save(self, user: User) -> None: ...
    def set_roles(self, user_id: int, roles: Iterable[Role]) -> None: ...
    def referral_code_taken(self, code: str) -> bool: ...
    def search(self, query: str, limit: int, offset: int) -> list[User]: ...
    def count(self) -> int: ...


class SessionRepository(Protocol):
    def add(self, session: AuthSession) -> AuthSession: ...
    def get(self, session_id: int) -> AuthSession | None: ...
    def get_by_token_hash(self, token_hash: str) -> AuthSession | None: ...
    def claim_handoff(self, handoff_hash: str, token_hash: str, now: datetime) -> AuthSession | None: ...
    def revoke(self, session_id: int, now: datetime) -> None: ...
    def revoke_all(self, user_id: int, now: datetime) -> int: ...
    def purge_expired(self, now: datetime) -> int: ...


class EmailTokenRepository(Protocol):
    def add(self, token: EmailToken) -> EmailToken: ...
    def get_by_hash(self, token_hash: str) -> EmailToken | None: ...
    def use(self, token_id: int, now: datetime) -> bool: ...
    def expire_all(self, user_id: int, purpose: TokenPurpose, now: datetime) -> None: ...


class OutboxRepository(Protocol):
    def add(self, to_address: str, subject: str, body: str, now: datetime) -> int: ...
    def recent(self, limit: int, offset: int) -> list[OutboxMessage]: ...
    def unsent(self, limit: int) -> list[OutboxMessage]: ...
    def mark_sent(self, message_id: int, now: datetime) -> None: ...
    def mark_failed(self, message_id: int, error: str) -> None: ...


class NotificationRepository(Protocol):
    def add(self, user_id: int, kind: str, params: dict[str, Any], link: str | None, now: datetime) -> int: ...
    def for_user(self, user_id: int, limit: int, offset: int) -> list[Notification]: ...
    def unread_count(self, user_id: int) -> int: ...
    def mark_read(self, user_id: int, ids: Sequence[int] | None, now: datetime) -> int: ...


class SettingsRepository(Protocol):
    def get(self, key: str) -> str | None: ...
    def put(self, key: str, value: str) -> None: ...


class JobLockRepository(Protocol):
    def acquire(self, name: str, holder: str, now: datetime, until: datetime) -> bool: ...
    def release(self, name: str, holder: str, now: datetime) -> None: ...


class CatalogRepository(Protocol):
    """Categories plus the marketplace rows the demo and feeds need."""

    def categories(self) -> list[Category]: ...
    def add_category(self, slug: str, name_en: str, name_ko: str, threshold: int) -> int: ...
    def add_idea(self, idea: Idea, currency: str, now: datetime) -> Idea: ...
    def add_support(self, idea_id: int, user_id: int, now: datetime,
                    intent_quantity: int | None = None, intent_max_price: int | None = None) -> None: ...
    def add_follow(self, idea_id: int, user_id: int, now: datetime) -> None: ...
    def add_comment(self, idea_id: int, author_id: int, body_md: str, now: datetime,
                    parent_id: int | None = None) -> int: ...
    def add_campaign(self, idea_id: int, maker_id: int, unit_cost: int, price: int, currency: str,
                     goal_units: int, cap_units: int | None, pledged_units: int, status: str,
                     opens_at: datetime, deadline: datetime) -> int: ...
    def add_listing(self, idea_id: int, maker_id: int, title: str, description_md: str,
                    price: int, currency: str, stock: int, sold: int, now: datetime) -> int: ...
    def count_ideas(self) -> int: ...


class IdeaQueries(Protocol):
    def feed(self, statuses: Sequence[IdeaStatus], query: str, category: str | None,
             limit: int, offset: int) -> list[IdeaCard]: ...
    def count(self, statuses: Sequence[IdeaStatus], query: str, category: str | None) -> int: ...
    def detail(self, idea_id: int) -> dict[str, Any] | None: ...
    def campaigns(self, limit: int, offset: int) -> list[CampaignCard]: ...
    def listings(self, limit: int, offset: int) -> list[ListingCard]: ...


class AbstractUnitOfWork(abc.ABC):
    """One transaction: leaving the block without commit() rolls back."""

    users: UserRepository
    sessions: SessionRepository
    email_tokens: EmailTokenRepository
    outbox: OutboxRepository
    notifications: NotificationRepository
    settings: SettingsRepository
    job_locks: JobLockRepository
    catalog: CatalogRepository
    ideas: IdeaQueries

    def __enter__(self) -> AbstractUnitOfWork:
        return self

    def __exit__(self, *exc: object) -> None:
        self.rollback()

    @abc.abstractmethod
    def commit(self) -> None: ...

    @abc.abstractmethod
    def rollback(self) -> None: ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...
    def verify(self, password_hash: str, password: str) -> bool: ...
    def needs_rehash(self, password_hash: str) -> bool: ...


class Mailer(Protocol):
    """Delivers one e-mail; raises on failure. Absent when no SMTP is configured."""

    def send(self, to_address: str, subject: str, body: str) -> None: ...


class ImageStore(Protocol):
    def put(self, data: bytes, suffix: str) -> str: ...
    def path(self, key: str) -> str: ...
    def exists(self, key: str) -> bool: ...
