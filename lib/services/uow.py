"""The unit of work: one transaction over every repository; leaving it without commit() rolls back."""

from __future__ import annotations

import abc

from lib.services.accounts.ports import (
    EmailTokenRepository,
    SessionRepository,
    ThrottleRepository,
    UserRepository,
)
from lib.services.campaigns.ports import CampaignRepository
from lib.services.commerce.ports import OrderRepository, ShopRepository
from lib.services.ideas.ports import CatalogRepository, IdeaQueries, IdeaRepository, ModerationQueries
from lib.services.ledger.ports import LedgerRepository, ReferralRepository
from lib.services.messaging.ports import NotificationRepository, OutboxRepository
from lib.services.ports import JobLockRepository, RequestKeyRepository, SettingsRepository


class AbstractUnitOfWork(abc.ABC):
    """One transaction: leaving the block without commit() rolls back."""

    users: UserRepository
    sessions: SessionRepository
    email_tokens: EmailTokenRepository
    throttles: ThrottleRepository
    outbox: OutboxRepository
    notifications: NotificationRepository
    settings: SettingsRepository
    job_locks: JobLockRepository
    request_keys: RequestKeyRepository
    catalog: CatalogRepository
    ideas: IdeaQueries
    idea_repo: IdeaRepository
    moderation: ModerationQueries
    campaigns: CampaignRepository
    orders: OrderRepository
    shop: ShopRepository
    referrals: ReferralRepository
    ledger: LedgerRepository

    def __enter__(self) -> AbstractUnitOfWork:
        return self

    def __exit__(self, *exc: object) -> None:
        self.rollback()

    @abc.abstractmethod
    def commit(self) -> None: ...

    @abc.abstractmethod
    def rollback(self) -> None: ...
