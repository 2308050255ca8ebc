"""What every schema module shares: the MetaData (with Alembic's naming convention), the id and
timestamp types and small column builders."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, Column, DateTime, Dialect, Integer, MetaData, String
from sqlalchemy.types import TypeDecorator

# A naming convention keeps Alembic's batch mode on SQLite able to find constraints.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# Integer that is BIGINT on PostgreSQL yet INTEGER PRIMARY KEY (rowid) on SQLite.
Id = BigInteger().with_variant(Integer(), "sqlite")


class UtcDateTime(TypeDecorator[datetime]):
    """A moment in UTC: refuses naive datetimes on the way in and hands back UTC-aware ones on
    every database (SQLite stores no offset, so its values come back naive without this)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: only timezone-aware datetimes are stored")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def shipping_address_columns() -> list[Column]:
    """Where a pre-order or an order ships to (fresh Column objects for each table)."""
    optional = {"line2", "phone"}  # empty by default; the rest must be given
    return [Column(f"ship_{field}", String(200), nullable=False, server_default="" if field in optional else None)
            for field in ("name", "line1", "line2", "city", "postal_code", "country", "phone")]


def ts(name: str, nullable: bool = True) -> Column:
    return Column(name, UtcDateTime(), nullable=nullable)
