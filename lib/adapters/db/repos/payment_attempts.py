"""The ledger of gateway calls (one row per payment attempt, written before the call) and the
webhook events already seen: the campaign repository's exactly-once records."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.engine import Connection, RowMapping

from lib.adapters.db.schema import campaigns as t
from lib.adapters.db.sql import insert_ignore
from lib.domain.money import Money
from lib.services.campaigns.ports import PaymentAttempt

A = t.payment_attempts.c


class SqlPaymentAttempts:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def start_attempt(self, preorder_id: int, key: str, kind: str, amount: Money, now: datetime) -> bool:
        return insert_ignore(self.conn, t.payment_attempts, {
            "preorder_id": preorder_id, "idempotency_key": key, "kind": kind, "status": "started",
            "amount": amount.amount, "currency": amount.currency, "created_at": now}) == 1

    def finish_attempt(self, key: str, status: str, payment_ref: str | None, failure_code: str | None,
                       now: datetime) -> bool:
        return self.conn.execute(update(t.payment_attempts).where(A.idempotency_key == key, A.status == "started")
                                 .values(status=status, payment_ref=payment_ref, failure_code=failure_code,
                                         finished_at=now)).rowcount == 1

    def attempts(self, preorder_id: int) -> list[PaymentAttempt]:
        stmt = select(t.payment_attempts).where(A.preorder_id == preorder_id).order_by(A.id)
        return [_attempt(r) for r in self.conn.execute(stmt).mappings()]

    def attempt(self, key: str) -> PaymentAttempt | None:
        return self._one_attempt(A.idempotency_key == key)

    def open_attempt(self, preorder_id: int) -> PaymentAttempt | None:
        """The newest attempt whose outcome was never recorded (a run died mid-call)."""
        return self._one_attempt(A.preorder_id == preorder_id, A.status == "started")

    def attempt_by_payment_ref(self, payment_ref: str) -> PaymentAttempt | None:
        return self._one_attempt(A.payment_ref == payment_ref)

    def _one_attempt(self, *where: ColumnElement[bool]) -> PaymentAttempt | None:
        r = self.conn.execute(select(t.payment_attempts).where(*where).order_by(A.id.desc())).mappings().first()
        return _attempt(r) if r else None

    def record_webhook(self, event_id: str, event_type: str, now: datetime) -> bool:
        """True the first time an event id is seen (webhooks are delivered at least once)."""
        return insert_ignore(self.conn, t.webhook_events, {"id": event_id, "type": event_type,
                                                           "received_at": now}) == 1


def _attempt(r: RowMapping) -> PaymentAttempt:
    return PaymentAttempt(id=r["id"], preorder_id=r["preorder_id"], idempotency_key=r["idempotency_key"],
                          kind=r["kind"], status=r["status"], amount=Money(r["amount"], r["currency"]),
                          payment_ref=r["payment_ref"], failure_code=r["failure_code"],
                          created_at=r["created_at"], finished_at=r["finished_at"])
