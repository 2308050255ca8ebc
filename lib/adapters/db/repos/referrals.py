"""Referral clicks, attribution and the referrer's numbers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, case, func, insert, or_, select, update
from sqlalchemy.engine import Connection

from lib.adapters.db.schema import commerce as t
from lib.adapters.db.schema import core
from lib.domain.accounts import AccountStatus
from lib.domain.money import Money
from lib.domain.orders import OrderStatus
from lib.domain.referrals import Conversion

K = t.referral_clicks.c
U = core.users.c
O = t.orders.c  # noqa: E741 - the table's column namespace, as in orders_repo
E = t.ledger_entries.c
X = t.ledger_transactions.c
REFERRER_ACCOUNT = "referrer"


def _referrer_entries(referrer_id: int):  # type: ignore[no-untyped-def]
    """Entries on this account's referral-commission account, payouts left out (earned, not paid)."""
    return (t.ledger_entries.join(t.ledger_transactions, X.id == E.transaction_id),
            and_(E.account == REFERRER_ACCOUNT, E.user_id == referrer_id, ~X.dedupe_key.like("payout:%")))


class SqlReferralRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def active_referrer(self, code: str) -> int | None:
        # Codes are issued upper case (the unique index serves this equality); the row lock
        # serialises concurrent clicks on one referrer's links so de-duplication cannot race.
        found = self.conn.execute(select(U.id).where(
            U.referral_code == code, U.status == AccountStatus.ACTIVE.value).with_for_update()).scalar()
        return int(found) if found is not None else None

    def recent_click(self, referrer_id: int, target: str, visitor_key: str, user_id: int | None,
                     since: datetime) -> bool:
        who = K.visitor_key == visitor_key if user_id is None else or_(K.visitor_key == visitor_key,
                                                                       K.user_id == user_id)
        found = self.conn.execute(select(K.id).where(
            K.referrer_id == referrer_id, K.target == target, K.created_at >= since, who).limit(1)).first()
        return found is not None

    def add_click(self, referrer_id: int, visitor_key: str, user_id: int | None, target: str,
                  now: datetime) -> int:
        return int(self.conn.execute(insert(t.referral_clicks).values(
            referrer_id=referrer_id, visitor_key=visitor_key, user_id=user_id, target=target,
            created_at=now).returning(K.id)).scalar_one())

    def claim(self, visitor_key: str, user_id: int) -> int:
        return int(self.conn.execute(update(t.referral_clicks).where(
            K.visitor_key == visitor_key, K.user_id.is_(None), K.referrer_id != user_id,
        ).values(user_id=user_id)).rowcount)

    def latest_referrer(self, buyer_id: int, since: datetime, until: datetime) -> int | None:
        found = self.conn.execute(
            select(K.referrer_id).join(core.users, U.id == K.referrer_id).where(
                K.user_id == buyer_id, K.referrer_id != buyer_id, K.created_at >= since,
                K.created_at <= until, U.status == AccountStatus.ACTIVE.value,
            ).order_by(K.created_at.desc(), K.id.desc()).limit(1)).scalar()
        return int(found) if found is not None else None

    def click_counts(self, referrer_id: int, since: datetime) -> tuple[int, int, int]:
        anonymous = case((K.user_id.is_(None), K.visitor_key))
        row = self.conn.execute(select(
            func.count(K.id),
            func.count(case((K.created_at >= since, K.id))),
            func.count(func.distinct(K.user_id)) + func.count(func.distinct(anonymous)),
        ).where(K.referrer_id == referrer_id)).one()
        return int(row[0]), int(row[1]), int(row[2])

    def conversion_count(self, referrer_id: int, statuses: Sequence[OrderStatus]) -> int:
        return int(self.conn.execute(select(func.count(O.id)).where(
            O.referrer_id == referrer_id, O.status.in_([s.value for s in statuses]))).scalar_one())

    def conversions(self, referrer_id: int, statuses: Sequence[OrderStatus], limit: int) -> list[Conversion]:
        source, where = _referrer_entries(referrer_id)
        commission = (select(func.coalesce(-func.sum(E.amount), 0)).select_from(source)
                      .where(where, X.order_id == O.id).scalar_subquery())
        at = func.coalesce(O.paid_at, O.created_at)
        rows = self.conn.execute(select(
            O.id, at.label("at"), O.title, O.amount, O.currency, commission.label("commission"),
        ).where(O.referrer_id == referrer_id, O.status.in_([s.value for s in statuses]))
            .order_by(at.desc(), O.id.desc()).limit(limit)).mappings()
        return [Conversion(order_id=r["id"], at=r["at"], title=r["title"],
                           amount=Money(int(r["amount"]), r["currency"]),
                           commission=Money(int(r["commission"]), r["currency"])) for r in rows]

    def earnings(self, referrer_id: int) -> list[Money]:
        source, where = _referrer_entries(referrer_id)
        rows = self.conn.execute(select(E.currency, -func.sum(E.amount)).select_from(source).where(where)
                                 .group_by(E.currency).order_by(E.currency))
        return [Money(int(total), currency) for currency, total in rows]
