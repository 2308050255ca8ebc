"""The idea lifecycle: statuses, what each allows, and the transitions between them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import partial
from typing import TypeVar

from lib.domain.errors import DomainError, InvalidFields, InvalidInput
from lib.domain.limits import check_amount
from lib.domain.text import TextKind, clean_text, multi_line, one_line

T = TypeVar("T")


class IdeaStatus(StrEnum):
    DRAFT = "draft"
    PENDING_REVIEW = "pending_review"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"
    PUBLISHED = "published"
    WINNING = "winning"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"
    CAMPAIGN = "campaign"
    CAMPAIGN_FAILED = "campaign_failed"
    FUNDED = "funded"
    IN_PRODUCTION = "in_production"
    FULFILLED = "fulfilled"
    LISTED = "listed"


class FlagReason(StrEnum):
    """Why someone flags an idea or comment (the moderators read it next to the optional text)."""

    SPAM = "spam"
    OFFENSIVE = "offensive"
    MISLEADING = "misleading"
    OTHER = "other"


class Action(StrEnum):
    SUPPORT = "support"
    COMMENT = "comment"
    SUGGEST = "suggest"
    QUOTE = "quote"
    PREORDER = "preorder"
    BUY = "buy"


S = IdeaStatus
# What each status allows (adhocracy-plus style: the phase decides).
ALLOWS: dict[IdeaStatus, frozenset[Action]] = {
    S.DRAFT: frozenset(),
    S.PENDING_REVIEW: frozenset(),
    S.CHANGES_REQUESTED: frozenset(),
    S.REJECTED: frozenset(),
    S.PUBLISHED: frozenset({Action.SUPPORT, Action.COMMENT, Action.SUGGEST}),
    S.WINNING: frozenset({Action.COMMENT, Action.SUGGEST, Action.QUOTE}),
    S.EXPIRED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.CAMPAIGN: frozenset({Action.COMMENT, Action.PREORDER}),
    S.CAMPAIGN_FAILED: frozenset({Action.COMMENT}),
    S.FUNDED: frozenset({Action.COMMENT}),
    S.IN_PRODUCTION: frozenset({Action.COMMENT}),
    S.FULFILLED: frozenset({Action.COMMENT}),
    S.LISTED: frozenset({Action.COMMENT, Action.BUY}),
}

TRANSITIONS: dict[IdeaStatus, frozenset[IdeaStatus]] = {
    S.DRAFT: frozenset({S.PENDING_REVIEW, S.WITHDRAWN}),
    S.PENDING_REVIEW: frozenset({S.PUBLISHED, S.REJECTED, S.CHANGES_REQUESTED, S.WITHDRAWN}),
    S.CHANGES_REQUESTED: frozenset({S.PENDING_REVIEW, S.WITHDRAWN}),
    S.REJECTED: frozenset(),
    S.PUBLISHED: frozenset({S.WINNING, S.EXPIRED, S.WITHDRAWN}),
    S.WINNING: frozenset({S.CAMPAIGN}),
    S.EXPIRED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.CAMPAIGN: frozenset({S.FUNDED, S.CAMPAIGN_FAILED}),
    S.CAMPAIGN_FAILED: frozenset(),
    S.FUNDED: frozenset({S.IN_PRODUCTION}),
    S.IN_PRODUCTION: frozenset({S.FULFILLED}),
    S.FULFILLED: frozenset({S.LISTED}),
    S.LISTED: frozenset(),
}

# Statuses a visitor may see; the rest are private to the author and staff.
PUBLIC_STATUSES = frozenset(
    {S.PUBLISHED, S.WINNING, S.EXPIRED, S.CAMPAIGN, S.CAMPAIGN_FAILED, S.FUNDED,
     S.IN_PRODUCTION, S.FULFILLED, S.LISTED}
)
# The statuses an idea has once a campaign was opened for it (so only these look one up).
WITH_CAMPAIGN = frozenset({S.CAMPAIGN, S.CAMPAIGN_FAILED, S.FUNDED, S.IN_PRODUCTION, S.FULFILLED, S.LISTED})


class IllegalTransition(DomainError):
    key = "error.illegal_transition"


def allows(status: IdeaStatus, action: Action) -> bool:
    return action in ALLOWS[status]


def can_move(current: IdeaStatus, target: IdeaStatus) -> bool:
    return target in TRANSITIONS[current]


def check_transition(current: IdeaStatus, target: IdeaStatus) -> None:
    if not can_move(current, target):
        raise IllegalTransition(current=current.value, target=target.value)


def sources_of(target: IdeaStatus) -> frozenset[IdeaStatus]:
    """Every status the lifecycle table lets move to `target`."""
    return frozenset(status for status, targets in TRANSITIONS.items() if target in targets)


@dataclass
class Idea:
    id: int  # 0 until stored
    author_id: int
    title: str
    pitch: str
    description_md: str
    category_id: int | None
    status: IdeaStatus = IdeaStatus.DRAFT
    tags: list[str] = field(default_factory=list)
    target_price_min: int | None = None
    target_price_max: int | None = None
    support_count: int = 0
    cover_image: str | None = None
    published_at: datetime | None = None
    support_deadline: datetime | None = None
    created_at: datetime | None = None

    def move_to(self, target: IdeaStatus) -> None:
        check_transition(self.status, target)
        self.status = target


# ---- What an author types, checked ---------------------------------------------------------

TITLE_MIN, TITLE_MAX = 5, 120
PITCH_MAX = 200
DESCRIPTION_MAX = 20_000
MAX_TAGS, TAG_MAX = 10, 30
COMMENT_MAX = 5_000
LOCKED_FIELDS = ("title", "pitch", "description_md")


class IdeaNotOpenForSupport(DomainError):
    key = "error.idea_not_open_for_support"


class IdeaLocked(DomainError):
    key = "error.idea_locked"


class FlagNotOpen(DomainError):
    """Nothing to take back: no flag of this account, or a moderator already acted on it."""

    key = "error.flag_not_open"


class NotYourIdea(DomainError):
    key = "error.not_your_idea"


@dataclass(frozen=True)
class IdeaFields:
    """The author-editable fields of an idea, validated on construction."""

    title: str
    pitch: str
    description_md: str
    category_id: int | None
    tags: tuple[str, ...] = ()
    target_price_min: int | None = None
    target_price_max: int | None = None

    @classmethod
    def clean(cls, *, title: str, pitch: str, description_md: str, category_id: int | None,
              tags: list[str] | tuple[str, ...] | str = (), target_price_min: int | None = None,
              target_price_max: int | None = None) -> IdeaFields:
        """Every field checked at once: one InvalidFields names each field's problem."""
        problems: dict[str, InvalidInput] = {}

        def checked(name: str, check: Callable[[], T]) -> T | None:
            try:
                return check()
            except InvalidInput as exc:
                problems[name] = exc
                return None

        clean_title = checked("title", lambda: clean_text(
            title, TextKind.ONE_LINE, max_length=TITLE_MAX, min_length=TITLE_MIN,
            too_short="error.title_too_short", too_long="error.title_too_long"))
        clean_pitch = checked("pitch", lambda: one_line(pitch, PITCH_MAX, required="error.pitch_required",
                                                        too_long="error.pitch_too_long"))
        description = checked("description", lambda: multi_line(
            description_md, DESCRIPTION_MAX, required="error.description_required",
            too_long="error.description_too_long"))
        if category_id is None:
            problems["category"] = InvalidInput("error.category_required")
        cleaned = checked("tags", lambda: _clean_tags(tags))
        for name, price in (("price_min", target_price_min), ("price_max", target_price_max)):
            if price is not None:
                checked(name, partial(check_amount, price, "error.price_not_positive"))
        if (target_price_min is not None and target_price_max is not None and target_price_min > target_price_max
                and "price_min" not in problems and "price_max" not in problems):
            problems["price_max"] = InvalidInput("error.price_range_inverted")
        if problems:
            raise InvalidFields(problems)
        assert clean_title is not None and clean_pitch is not None and description is not None
        return cls(clean_title, clean_pitch, description, category_id, tuple(cleaned or ()),
                   target_price_min, target_price_max)


def _clean_tags(tags: object) -> list[str]:
    if isinstance(tags, str):
        raw_tags: list[object] = list(tags.split(","))
    elif isinstance(tags, list | tuple):
        raw_tags = list(tags)
    else:
        raise InvalidInput("error.invalid_input")
    cleaned: list[str] = []
    for raw in raw_tags:
        raw = raw.strip().lstrip("#") if isinstance(raw, str) else raw
        tag = one_line(raw, TAG_MAX, too_long="error.tag_too_long").lstrip("#").strip().lower()
        if tag and tag not in cleaned:
            if len(tag) > TAG_MAX or "," in tag:
                raise InvalidInput("error.tag_too_long", max=TAG_MAX)
            cleaned.append(tag)
    if len(cleaned) > MAX_TAGS:
        raise InvalidInput("error.too_many_tags", max=MAX_TAGS)
    return cleaned


def is_locked(support_count: int, threshold: int) -> bool:
    """Past half its threshold, what people supported (title, pitch, description) is fixed."""
    return support_count * 2 > threshold


def editable_statuses() -> frozenset[IdeaStatus]:
    return frozenset({S.DRAFT, S.CHANGES_REQUESTED, S.PUBLISHED})


# An author's updates go to the idea's followers: not before it was reviewed, nor once it was rejected.
NO_UPDATES = frozenset({S.DRAFT, S.PENDING_REVIEW, S.REJECTED})


def takes_updates(status: IdeaStatus) -> bool:
    return status not in NO_UPDATES


def hot_score(support_count: int, published_at: datetime | None) -> float:
    """Time-decayed rank that needs no clock at query time: newer ideas start higher,
    and every tenfold of support is worth 12.5 hours of recency."""
    import math

    if published_at is None:
        return 0.0
    return round(math.log10(max(support_count, 1)) + published_at.timestamp() / 45_000, 7)
