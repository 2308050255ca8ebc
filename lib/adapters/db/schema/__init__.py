"""The one schema for SQLite and PostgreSQL, kept apart from the domain classes, on one MetaData.

`base` holds the MetaData and column builders; `core` accounts, ideas and moderation; `campaigns`
makers, quotes, campaigns, pre-orders and payment attempts; `commerce` orders, the shop, the ledger
and referrals. Importing the package registers every table, so `base.metadata` is always whole
(Alembic and the schema check rely on it)."""

from lib.adapters.db.schema import campaigns, commerce, core  # noqa: F401 - registers the tables
