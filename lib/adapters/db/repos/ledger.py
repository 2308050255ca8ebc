"""Ledger repository: append-only transactions and entries, balances, statements and payouts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection, RowMapping

from lib.adapters.db.schema import commerce as t
from lib.adapters.db.schema import core
from lib.adapters.db.sql import dialect_insert
from lib.domain.ledger import PAYEE_ACCOUNTS, Account, Payable, Payout, PayoutStatus, Posting
from lib.domain.money import Money
from lib.services.ledger.ports import LedgerLine

T, E, P, U = t.ledger_transactions.c, t.ledger_entries.c, t.payouts.c, core.users.c
SALE_KINDS = ("sale", "refund")


def _payout(r: RowMapping) -> Payout:
    return Payout(id=r["id"], user_id=r["user_id"], user_name=r["display_name"],
                  amount=Money(int(r["amount"]), r["currency"]), status=PayoutStatus(r["status"]),
                  note=r["note"], transfer_ref=r["transfer_ref"],
                  created_at=r["created_at"],
                  decided_at=r["decided_at"])


class SqlLedgerRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # ---- posting ----------------------------------------------------------------------------

    def add_transaction(self, kind: str, dedupe_key: str, order_id: int | None, currency: str, memo: str,
                        now: datetime, postings: Sequence[Posting]) -> int | None:
        """Insert a transaction and its entries once per dedupe key; None when it was already posted
        (a concurrent poster waits on the unique key, then finds it taken)."""
        stmt = (dialect_insert(self.conn, t.ledger_transactions)
                .values(kind=kind, dedupe_key=dedupe_key, order_id=order_id, currency=currency,
                        memo=memo[:200], created_at=now)
                .on_conflict_do_nothing().returning(T.id))
        transaction_id = self.conn.execute(stmt).scalar()
        if transaction_id is None:
            return None
        self.conn.execute(insert(t.ledger_entries), [
            {"transaction_id": transaction_id, "account": p.account, "user_id": p.user_id, "amount": p.amount,
             "currency": currency} for p in postings])
        return int(transaction_id)

    def posted(self, dedupe_key: str) -> bool:
        return self.conn.execute(select(T.id).where(T.dedupe_key == dedupe_key)).first() is not None

    def order_holdings(self, order_id: int) -> dict[Account, int]:
        """What each credited account still holds of an order's sale after its refunds (cash excluded)."""
        stmt = (select(E.account, E.user_id, func.sum(E.amount).label("total"), func.min(E.id).label("first"))
                .select_from(t.ledger_entries.join(t.ledger_transactions, T.id == E.transaction_id))
                .where(T.order_id == order_id, T.kind.in_(SALE_KINDS), E.account != "cash")
                .group_by(E.account, E.user_id).order_by("first"))
        return {(r.account, r.user_id): -int(r.total) for r in self.conn.execute(stmt)}

    def sale_parties(self, idea_id: int) -> tuple[int, list[int]]:
        """The idea's author and its accepted co-creators, earliest first."""
        author = self.conn.execute(select(core.ideas.c.author_id).where(core.ideas.c.id == idea_id)).scalar_one()
        cc = core.co_creators.c
        people = self.conn.execute(select(cc.user_id).where(cc.idea_id == idea_id)
                                   .order_by(cc.created_at, cc.user_id)).scalars()
        return int(author), [int(p) for p in people]

    # ---- balances ---------------------------------------------------------------------------

    def lock_payee(self, user_id: int) -> None:
        """Serialise money decisions about one payee: a row lock on PostgreSQL; on SQLite the
        writing transaction's BEGIN IMMEDIATE already lets one writer in at a time."""
        if self.conn.dialect.name == "postgresql":
            self.conn.execute(select(U.id).where(U.id == user_id).with_for_update())

    def lock_order(self, order_id: int) -> None:
        """Serialise refunds of one order (PostgreSQL row lock; SQLite: BEGIN IMMEDIATE)."""
        if self.conn.dialect.name == "postgresql":
            self.conn.execute(select(t.orders.c.id).where(t.orders.c.id == order_id).with_for_update())

    def balances(self, user_id: int, currency: str) -> dict[str, int]:
        """What each of the user's accounts owes them (minus the sum of its entries)."""
        stmt = (select(E.account, func.sum(E.amount).label("total"))
                .where(E.user_id == user_id, E.currency == currency).group_by(E.account))
        return {r.account: -int(r.total) for r in self.conn.execute(stmt)}

    def owed_by_kind(self, user_id: int, currency: str) -> dict[tuple[str, str], int]:
        stmt = (select(E.account, T.kind, func.sum(E.amount).label("total"))
                .select_from(t.ledger_entries.join(t.ledger_transactions, T.id == E.transaction_id))
                .where(E.user_id == user_id, E.currency == currency).group_by(E.account, T.kind))
        return {(r.account, r.kind): -int(r.total) for r in self.conn.execute(stmt)}

    def pending_payouts(self, user_id: int, currency: str) -> int:
        stmt = select(func.coalesce(func.sum(P.amount), 0)).where(
            P.user_id == user_id, P.currency == currency, P.status == PayoutStatus.REQUESTED.value)
        return int(self.conn.execute(stmt).scalar_one())

    def statement(self, user_id: int) -> list[LedgerLine]:
        """The user's entries, oldest first, with the transaction and the order title."""
        stmt = (select(T.created_at, T.kind, T.order_id, T.dedupe_key, t.orders.c.title, E.account, E.amount,
                       E.currency, E.id)
                .select_from(t.ledger_entries.join(t.ledger_transactions, T.id == E.transaction_id)
                             .outerjoin(t.orders, t.orders.c.id == T.order_id))
                .where(E.user_id == user_id).order_by(T.created_at, T.id, E.id))
        return [LedgerLine(created_at=r["created_at"], kind=r["kind"], order_id=r["order_id"],
                           dedupe_key=r["dedupe_key"], title=r["title"], account=r["account"],
                           amount=Money(int(r["amount"]), r["currency"]))
                for r in self.conn.execute(stmt).mappings()]

    def payables(self, currency: str) -> list[Payable]:
        """Every payee with a balance or a pending request, largest balance first."""
        owed = (select(E.user_id, (-func.sum(E.amount)).label("balance"))
                .where(E.user_id.is_not(None), E.currency == currency, E.account.in_(PAYEE_ACCOUNTS))
                .group_by(E.user_id).subquery())
        pending = (select(P.user_id, func.sum(P.amount).label("pending"))
                   .where(P.status == PayoutStatus.REQUESTED.value, P.currency == currency)
                   .group_by(P.user_id).subquery())
        stmt = (select(U.id, U.display_name, U.email, func.coalesce(owed.c.balance, 0).label("balance"),
                       func.coalesce(pending.c.pending, 0).label("pending"))
                .select_from(core.users.outerjoin(owed, owed.c.user_id == U.id)
                             .outerjoin(pending, pending.c.user_id == U.id))
                .where((owed.c.balance.is_not(None) & (owed.c.balance != 0)) | pending.c.pending.is_not(None))
                .order_by(func.coalesce(owed.c.balance, 0).desc(), U.id))
        return [Payable(user_id=r.id, name=r.display_name, email=r.email, balance=Money(int(r.balance), currency),
                        pending=Money(int(r.pending), currency)) for r in self.conn.execute(stmt)]

    # ---- payouts ----------------------------------------------------------------------------

    def add_payout(self, user_id: int, amount: Money, now: datetime) -> int:
        return int(self.conn.execute(insert(t.payouts).values(
            user_id=user_id, amount=amount.amount, currency=amount.currency, status=PayoutStatus.REQUESTED.value,
            created_at=now).returning(P.id)).scalar_one())

    def _payouts(self, *where: Any) -> list[Payout]:
        stmt = (select(t.payouts, U.display_name).select_from(t.payouts.join(core.users, U.id == P.user_id))
                .where(*where))
        return [_payout(r) for r in self.conn.execute(stmt.order_by(P.id)).mappings()]

    def payout(self, payout_id: int) -> Payout | None:
        found = self._payouts(P.id == payout_id)
        return found[0] if found else None

    def payouts_for(self, user_id: int) -> list[Payout]:
        return list(reversed(self._payouts(P.user_id == user_id)))

    def requested_payouts(self) -> list[Payout]:
        """The queue: every undecided request, oldest first."""
        return self._payouts(P.status == PayoutStatus.REQUESTED.value)

    def decide_payout(self, payout_id: int, to: PayoutStatus, by: int, now: datetime, *, note: str = "",
                      transfer_ref: str | None = None) -> bool:
        """Move a requested payout to paid or rejected (once: only from requested)."""
        return self.conn.execute(update(t.payouts).where(
            P.id == payout_id, P.status == PayoutStatus.REQUESTED.value,
        ).values(status=to.value, decided_by=by, decided_at=now, note=note, transfer_ref=transfer_ref)).rowcount == 1
