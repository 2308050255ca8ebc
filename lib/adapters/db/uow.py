"""The SQL unit of work: one connection, one transaction, rolled back unless committed."""

from __future__ import annotations

from sqlalchemy.engine import Connection, Engine

from lib.adapters.db.campaigns_repo import SqlCampaignRepository
from lib.adapters.db.catalog import SqlCatalogRepository
from lib.adapters.db.idea_queries import SqlIdeaQueries
from lib.adapters.db.ideas_repo import SqlIdeaRepository
from lib.adapters.db.ledger_repo import SqlLedgerRepository
from lib.adapters.db.moderation_repo import SqlModerationQueries
from lib.adapters.db.orders_repo import SqlOrderRepository
from lib.adapters.db.referrals_repo import SqlReferralRepository
from lib.adapters.db.repositories import (
    SqlEmailTokenRepository,
    SqlJobLockRepository,
    SqlNotificationRepository,
    SqlOutboxRepository,
    SqlSessionRepository,
    SqlSettingsRepository,
    SqlUserRepository,
)
from lib.adapters.db.shop_repo import SqlShopRepository
from lib.services.ports import AbstractUnitOfWork


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
        self.outbox = SqlOutboxRepository(conn)
        self.notifications = SqlNotificationRepository(conn)
        self.settings = SqlSettingsRepository(conn)
        self.job_locks = SqlJobLockRepository(conn)
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
