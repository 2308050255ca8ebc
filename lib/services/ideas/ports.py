"""What the ideas context needs from storage, and the read models it hands to screens."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from lib.domain.campaigns import CampaignStatus
from lib.domain.ideas import FlagReason, Idea, IdeaFields, IdeaStatus
from lib.domain.orders import ListingStatus


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
    status: CampaignStatus
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
    status: ListingStatus
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
class QueuedIdea(IdeaRecord):
    """An idea in the moderation queue, with who submitted it."""

    author_name: str = ""


@dataclass(frozen=True)
class CommentRecord:
    """A comment as the write side sees it (replies have a parent)."""

    id: int
    idea_id: int
    author_id: int
    parent_id: int | None
    body_md: str
    hidden: bool
    created_at: datetime


@dataclass(frozen=True)
class FlagNote:
    """One open flag as the moderators read it: why (the kind), and what the flagger added."""

    kind: FlagReason
    text: str


@dataclass(frozen=True)
class FlaggedItem:
    """An idea or comment with open flags, for the moderators' queue."""

    target_type: str  # idea | comment
    target_id: int
    idea_id: int  # the idea itself, or the one the comment is on
    text: str  # the idea's title or the comment's text
    hidden: bool
    flags: int
    first_flagged: datetime
    reasons: tuple[FlagNote, ...]


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
    target_name: str | None = None  # the idea's title, the person's name, ... (None: nothing to name it by)
    target_idea_id: int | None = None  # the idea page the target lives on (an idea, or a comment's idea)


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


@dataclass(frozen=True)
class IdeaComment:
    id: int
    parent_id: int | None
    author_id: int
    author_name: str
    body_md: str
    hidden: bool
    created_at: datetime


@dataclass(frozen=True)
class SupportState:
    """An idea's supporter count, and whether this person supports and follows it."""

    count: int
    supported: bool
    following: bool


@dataclass(frozen=True)
class IdeaUpdate:
    id: int
    body_md: str
    created_at: datetime


@dataclass(frozen=True)
class IdeaDetail(IdeaRecord):
    """Everything the idea page shows of one idea: the record plus its people and conversation."""

    author_name: str
    category_slug: str | None
    updated_at: datetime
    winning_at: datetime | None
    view_count: int
    comments: tuple[IdeaComment, ...]
    updates: tuple[IdeaUpdate, ...]  # newest first
    suggestions: tuple[Suggestion, ...]
    co_creators: tuple[str, ...]  # display names, earliest first
    demand: tuple[tuple[int | None, int], ...]  # (max price, units), highest price first


@dataclass(frozen=True)
class AuthoredIdea:
    """One line of an author's own list of ideas."""

    id: int
    title: str
    status: IdeaStatus
    support_count: int
    moderation_note: str | None
    needs_review: bool
    hidden: bool
    updated_at: datetime


class IdeaRepository(Protocol):
    """The write side of ideas and everything hanging off them."""

    def add(self, author_id: int, fields: IdeaFields, status: IdeaStatus, currency: str, cover: str | None,
            now: datetime) -> int: ...
    def get(self, idea_id: int) -> IdeaRecord | None: ...
    def update_fields(self, idea_id: int, fields: IdeaFields, now: datetime, needs_review: bool) -> None: ...
    def set_images(self, idea_id: int, keys: Sequence[str]) -> None: ...
    def move(self, idea_id: int, from_statuses: Sequence[IdeaStatus], to: IdeaStatus, now: datetime,
             **values: Any) -> bool: ...
    def set_review_state(self, idea_id: int, *, needs_review: bool, note: str | None) -> None: ...
    def set_hidden(self, idea_id: int, hidden: bool) -> None: ...
    def add_support(self, idea_id: int, user_id: int, quantity: int | None, max_price: int | None,
                    now: datetime) -> str: ...
    def remove_support(self, idea_id: int, user_id: int) -> bool: ...
    def has_supported(self, idea_id: int, user_id: int) -> bool: ...
    def support_count(self, idea_id: int) -> int | None: ...
    def mark_winning_if_reached(self, idea_id: int, now: datetime) -> bool: ...
    def follow(self, idea_id: int, user_id: int, now: datetime) -> bool: ...
    def unfollow(self, idea_id: int, user_id: int) -> bool: ...
    def is_following(self, idea_id: int, user_id: int) -> bool: ...
    def followers(self, idea_id: int) -> list[int]: ...
    def add_comment(self, idea_id: int, author_id: int, body_md: str, parent_id: int | None,
                    now: datetime) -> int: ...
    def comment(self, comment_id: int) -> CommentRecord | None: ...
    def set_comment_hidden(self, comment_id: int, hidden: bool) -> None: ...
    def add_update(self, idea_id: int, author_id: int, body_md: str, now: datetime) -> int: ...
    def add_suggestion(self, idea_id: int, proposer_id: int, body_md: str, image_key: str | None,
                       now: datetime) -> int: ...
    def suggestion(self, suggestion_id: int) -> Suggestion | None: ...
    def decide_suggestion(self, suggestion_id: int, status: str, now: datetime) -> bool: ...
    def add_co_creator(self, idea_id: int, user_id: int, suggestion_id: int, now: datetime) -> None: ...
    def add_flag(self, target_type: str, target_id: int, user_id: int, kind: FlagReason, reason: str,
                 now: datetime) -> int:
        """Record one account's flag (once; a new flag after a moderator's decision opens it again with
        its new reason); returns how many accounts have open flags on it."""
        ...

    def withdraw_flag(self, target_type: str, target_id: int, user_id: int) -> int | None:
        """Take back this account's open flag; None when it has none open (never flagged, or a moderator
        already acted on it), else how many accounts still have open flags on it."""
        ...

    def open_flags_by(self, user_id: int, idea_id: int) -> frozenset[tuple[str, int]]:
        """(target type, id) of this account's open flags on the idea and its comments."""
        ...
    def resolve_flags(self, target_type: str, target_id: int, now: datetime) -> int: ...
    def record_view(self, idea_id: int, viewer_key: str, user_id: int | None, now: datetime) -> bool: ...
    def merge_supporters(self, duplicate_id: int, original_id: int, now: datetime) -> int: ...
    def recount(self, idea_id: int) -> int: ...
    def mark_merged(self, duplicate_id: int, original_id: int, now: datetime) -> None: ...
    def reached_threshold(self) -> list[int]: ...
    def expire_due(self, now: datetime) -> list[int]: ...
    def candidates(self, category_id: int | None, exclude_id: int | None, limit: int) -> list[tuple[int, str]]: ...


class ModerationQueries(Protocol):
    def queue(self, limit: int, offset: int) -> list[QueuedIdea]: ...
    def queue_counts(self) -> dict[str, int]: ...
    def flagged(self, limit: int) -> list[FlaggedItem]: ...
    def audit(self, limit: int, offset: int, target_type: str | None, target_id: int | None) -> list[AuditEntry]: ...
    def add_audit(self, actor_id: int, action: str, target_type: str, target_id: int, reason: str,
                  details: dict[str, Any], now: datetime) -> int: ...
    def templates(self) -> list[tuple[int, str, str]]: ...
    # Raises ReasonTemplateExists when another template has the title (NotFound: no such template).
    def save_template(self, template_id: int | None, title: str, body: str) -> int: ...
    def delete_template(self, template_id: int) -> None: ...


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
    def by_author(self, author_id: int) -> list[AuthoredIdea]: ...
    def target_prices(self, category_id: int, statuses: Sequence[IdeaStatus],
                      limit: int) -> list[tuple[int | None, int | None]]: ...
    def detail(self, idea_id: int) -> IdeaDetail | None: ...
    def comments(self, idea_id: int) -> tuple[IdeaComment, ...]: ...
    def campaigns(self, limit: int, offset: int) -> list[CampaignCard]: ...
    def listings(self, limit: int, offset: int) -> list[ListingCard]: ...
