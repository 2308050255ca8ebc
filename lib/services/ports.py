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


@dataclass(frozen=True)
class IdeaRecord:
    """An idea as the write side sees it, with the threshold of its category."""

    id: int
    author_id: int
    title: str
    pitch: str
    description_md: str
    category_id: int | None
    tags: tuple[str, ...]
    status: IdeaStatus
    target_price_min: int | None
    target_price_max: int | None
    currency: str
    support_count: int
    threshold: int
    cover_image: str | None
    images: tuple[str, ...]
    published_at: datetime | None
    support_deadline: datetime | None
    submitted_at: datetime | None
    moderation_note: str | None
    needs_review: bool
    hidden: bool
    merged_into_id: int | None
    created_at: datetime


@dataclass(frozen=True)
class AuditEntry:
    id: int
    actor_id: int
    actor_name: str
    action: str
    target_type: str
    target_id: int
    reason: str
    details: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True)
class Suggestion:
    id: int
    idea_id: int
    proposer_id: int
    proposer_name: str
    body_md: str
    image_key: str | None
    status: str
    created_at: datetime


class IdeaRepository(Protocol):
    """The write side of ideas and everything hanging off them."""

    def add(self, author_id: int, fields: Any, status: IdeaStatus, currency: str, cover: str | None,
            now: datetime) -> int: ...
    def get(self, idea_id: int) -> IdeaRecord | None: ...
    def update_fields(self, idea_id: int, fields: Any, now: datetime, needs_review: bool) -> None: ...
    def set_images(self, idea_id: int, keys: Sequence[str]) -> None: ...
    def move(self, idea_id: int, from_statuses: Sequence[IdeaStatus], to: IdeaStatus, now: datetime,
             **values: Any) -> bool: ...
    def set_review_state(self, idea_id: int, *, needs_review: bool, note: str | None) -> None: ...
    def set_hidden(self, idea_id: int, hidden: bool) -> None: ...
    def add_support(self, idea_id: int, user_id: int, quantity: int | None, max_price: int | None,
                    now: datetime) -> str: ...
    def remove_support(self, idea_id: int, user_id: int) -> bool: ...
    def has_supported(self, idea_id: int, user_id: int) -> bool: ...
    def mark_winning_if_reached(self, idea_id: int, now: datetime) -> bool: ...
    def follow(self, idea_id: int, user_id: int, now: datetime) -> bool: ...
    def unfollow(self, idea_id: int, user_id: int) -> bool: ...
    def is_following(self, idea_id: int, user_id: int) -> bool: ...
    def followers(self, idea_id: int) -> list[int]: ...
    def add_comment(self, idea_id: int, author_id: int, body_md: str, parent_id: int | None,
                    now: datetime) -> int: ...
    def comment(self, comment_id: int) -> dict[str, Any] | None: ...
    def set_comment_hidden(self, comment_id: int, hidden: bool) -> None: ...
    def add_update(self, idea_id: int, author_id: int, body_md: str, now: datetime) -> int: ...
    def add_suggestion(self, idea_id: int, proposer_id: int, body_md: str, image_key: str | None,
                       now: datetime) -> int: ...
    def suggestion(self, suggestion_id: int) -> Suggestion | None: ...
    def decide_suggestion(self, suggestion_id: int, status: str, now: datetime) -> bool: ...
    def add_co_creator(self, idea_id: int, user_id: int, suggestion_id: int, now: datetime) -> None: ...
    def add_flag(self, target_type: str, target_id: int, user_id: int, reason: str, now: datetime) -> int: ...
    def resolve_flags(self, target_type: str, target_id: int, now: datetime) -> int: ...
    def record_view(self, idea_id: int, viewer_key: str, user_id: int | None, now: datetime) -> bool: ...
    def merge_supporters(self, duplicate_id: int, original_id: int, now: datetime) -> int: ...
    def recount(self, idea_id: int) -> int: ...
    def mark_merged(self, duplicate_id: int, original_id: int, now: datetime) -> None: ...
    def reached_threshold(self) -> list[int]: ...
    def expire_due(self, now: datetime) -> list[int]: ...
    def candidates(self, category_id: int | None, exclude_id: int | None, limit: int) -> list[tuple[int, str]]: ...


class ModerationQueries(Protocol):
    def queue(self, limit: int, offset: int) -> list[IdeaRecord]: ...
    def queue_counts(self) -> dict[str, int]: ...
    def flagged(self, limit: int) -> list[dict[str, Any]]: ...
    def audit(self, limit: int, offset: int, target_type: str | None, target_id: int | None) -> list[AuditEntry]: ...
    def add_audit(self, actor_id: int, action: str, target_type: str, target_id: int, reason: str,
                  details: dict[str, Any], now: datetime) -> int: ...
    def templates(self) -> list[tuple[int, str, str]]: ...
    def save_template(self, template_id: int | None, title: str, body: str) -> int: ...
    def delete_template(self, template_id: int) -> None: ...


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
    def add_idea(self, idea: Idea, currency: str, now: datetime, **extra: object) -> Idea: ...
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
    def save_category(self, category_id: int | None, slug: str, name_en: str, name_ko: str,
                      threshold: int) -> int: ...


class IdeaQueries(Protocol):
    def feed(self, statuses: Sequence[IdeaStatus], query: str, category: str | None, limit: int, offset: int,
             order: str = "new", now: datetime | None = None) -> list[IdeaCard]: ...
    def count(self, statuses: Sequence[IdeaStatus], query: str, category: str | None, order: str = "new",
              now: datetime | None = None) -> int: ...
    def by_author(self, author_id: int) -> list[dict[str, Any]]: ...
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
    idea_repo: IdeaRepository
    moderation: ModerationQueries

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
    def delete(self, key: str) -> None: ...
    def path(self, key: str) -> str: ...
    def exists(self, key: str) -> bool: ...
