"""The idea lifecycle: statuses, what each allows, and the transitions between them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from lib.domain.errors import DomainError


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
    S.DRAFT: frozenset({S.PENDING_REVIEW}),
    S.PENDING_REVIEW: frozenset({S.PUBLISHED, S.REJECTED, S.CHANGES_REQUESTED}),
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


class IllegalTransition(DomainError):
    key = "error.illegal_transition"


def allows(status: IdeaStatus, action: Action) -> bool:
    return action in ALLOWS[status]


def check_transition(current: IdeaStatus, target: IdeaStatus) -> None:
    if target not in TRANSITIONS[current]:
        raise IllegalTransition(current=current.value, target=target.value)


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
