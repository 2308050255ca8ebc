"""The SQL unit of work: one connection, one transaction, rolled back unless committed."""

from __future__ import annotations

from sqlalchemy.engine import Connection, Engine

from lib.adapters.db.repos.accounts import (
    SqlEmailTokenRepository,
    SqlSessionRepository,
    SqlThrottleRepository,
    SqlUserRepository,
)
from lib.adapters.db.repos.campaigns import SqlCampaignRepository
from lib.adapters.db.repos.catalog import SqlCatalogRepository
from lib.adapters.db.repos.idea_queries import SqlIdeaQueries
from lib.adapters.db.repos.ideas import SqlIdeaRepository
from lib.adapters.db.repos.ledger import SqlLedgerRepository
from lib.adapters.db.repos.messaging import SqlNotificationRepository, SqlOutboxRepository
from lib.adapters.db.repos.moderation import SqlModerationQueries
from lib.adapters.db.repos.orders import SqlOrderRepository
from lib.adapters.db.repos.platform import SqlJobLockRepository, SqlRequestKeyRepository, SqlSettingsRepository
from lib.adapters.db.repos.referrals import SqlReferralRepository
from lib.adapters.db.repos.shop import SqlShopRepository
from lib.services.uow import AbstractUnitOfWork


class SqlUnitOfWork(AbstractUnitOfWork):
    """`write=False` opens a deferred (shared) transaction on SQLite for pure reads."""

    def __init__(self, engine: Engine, write: bool = True) -> None:
        self.engine = engine
        self.write = write
        self.conn: Connection | None = None

    def __enter__(self) -> SqlUnitOfWork:
        self.conn = self.engine.connect().execution_options(write=self.write)
        self.conn.begin()
        conn = self.conn
        self.users = SqlUserRepository(conn)
        self.sessions = SqlSessionRepository(conn)
        self.email_tokens = SqlEmailTokenRepository(conn)
        self.throttles = SqlThrottleRepository(conn)
        self.outbox = SqlOutboxRepository(conn)
        self.notifications = SqlNotificationRepository(conn)
        self.settings = SqlSettingsRepository(conn)
        self.job_locks = SqlJobLockRepository(conn)
        self.request_keys = SqlRequestKeyRepository(conn)
        self.catalog = SqlCatalogRepository(conn)
        self.ideas = SqlIdeaQueries(conn)
        self.idea_repo = SqlIdeaRepository(conn)
        self.moderation = SqlModerationQueries(conn)
        self.campaigns = SqlCampaignRepository(conn)
        self.orders = SqlOrderRepository(conn)
        self.shop = SqlShopRepository(conn)
        self.referrals = SqlReferralRepository(conn)
        self.ledger = SqlLedgerRepository(conn)
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            super().__exit__(*exc)
        finally:
            if self.conn is not None:
                self.conn.close()
                self.conn = None

    def commit(self) -> None:
        assert self.conn is not None, "unit of work used outside its with-block"
        self.conn.commit()

    def rollback(self) -> None:
        if self.conn is not None and self.conn.in_transaction():
            self.conn.rollback()
