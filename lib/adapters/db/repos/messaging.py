"""SQL repositories for the e-mail outbox and the in-app inbox."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection, RowMapping

from lib.adapters.db.schema import core as t
from lib.services.messaging.ports import Notification, OutboxMessage


def _message(r: RowMapping) -> OutboxMessage:
    return OutboxMessage(id=r["id"], to_address=r["to_address"], subject=r["subject"], body=r["body"],
                         created_at=r["created_at"], sent_at=r["sent_at"],
                         attempts=r["attempts"], last_error=r["last_error"], next_attempt_at=r["next_attempt_at"])


class SqlOutboxRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, to_address: str, subject: str, body: str, now: datetime) -> int:
        return int(self.conn.execute(insert(t.outbox).values(
            to_address=to_address, subject=subject, body=body, created_at=now, next_attempt_at=now,
        ).returning(t.outbox.c.id)).scalar_one())

    def recent(self, limit: int, offset: int) -> list[OutboxMessage]:
        stmt = select(t.outbox).order_by(t.outbox.c.id.desc()).limit(limit).offset(offset)
        return [_message(r) for r in self.conn.execute(stmt).mappings()]

    def unsent(self, limit: int) -> list[OutboxMessage]:
        stmt = select(t.outbox).where(t.outbox.c.sent_at.is_(None)).order_by(t.outbox.c.id).limit(limit)
        return [_message(r) for r in self.conn.execute(stmt).mappings()]

    def due(self, now: datetime, max_attempts: int, limit: int) -> list[OutboxMessage]:
        o = t.outbox.c
        stmt = (select(t.outbox).where(o.sent_at.is_(None), o.attempts < max_attempts, o.next_attempt_at <= now)
                .order_by(o.id).limit(limit))
        return [_message(r) for r in self.conn.execute(stmt).mappings()]

    def dead_letters(self, max_attempts: int, limit: int) -> list[OutboxMessage]:
        o = t.outbox.c
        stmt = (select(t.outbox).where(o.sent_at.is_(None), o.attempts >= max_attempts)
                .order_by(o.id.desc()).limit(limit))
        return [_message(r) for r in self.conn.execute(stmt).mappings()]

    def mark_sent(self, message_id: int, now: datetime) -> None:
        self.conn.execute(update(t.outbox).where(t.outbox.c.id == message_id).values(
            sent_at=now, attempts=t.outbox.c.attempts + 1, last_error=None))

    def mark_failed(self, message_id: int, error: str, next_attempt_at: datetime) -> None:
        self.conn.execute(update(t.outbox).where(t.outbox.c.id == message_id).values(
            attempts=t.outbox.c.attempts + 1, last_error=error, next_attempt_at=next_attempt_at))

    def retry(self, message_id: int, max_attempts: int, now: datetime) -> bool:
        o = t.outbox.c
        return self.conn.execute(update(t.outbox).where(
            o.id == message_id, o.sent_at.is_(None), o.attempts >= max_attempts,
        ).values(attempts=0, next_attempt_at=now)).rowcount == 1


class SqlNotificationRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, user_id: int, kind: str, params: dict[str, Any], link: str | None, now: datetime) -> int:
        return int(self.conn.execute(insert(t.notifications).values(
            user_id=user_id, kind=kind, params=json.dumps(params, ensure_ascii=False), link=link,
            created_at=now,
        ).returning(t.notifications.c.id)).scalar_one())

    def for_user(self, user_id: int, limit: int, offset: int) -> list[Notification]:
        n = t.notifications.c
        stmt = (select(t.notifications).where(n.user_id == user_id)
                .order_by(n.id.desc()).limit(limit).offset(offset))
        return [Notification(id=r["id"], user_id=r["user_id"], kind=r["kind"],
                             params=json.loads(r["params"]), link=r["link"],
                             created_at=r["created_at"], read_at=r["read_at"])
                for r in self.conn.execute(stmt).mappings()]

    def unread_count(self, user_id: int) -> int:
        n = t.notifications.c
        stmt = select(func.count()).where(n.user_id == user_id, n.read_at.is_(None))
        return int(self.conn.execute(stmt).scalar_one())

    def mark_read(self, user_id: int, ids: Sequence[int] | None, now: datetime) -> int:
        n = t.notifications.c
        stmt = update(t.notifications).where(n.user_id == user_id, n.read_at.is_(None))
        if ids is not None:
            stmt = stmt.where(n.id.in_(list(ids)))
        return int(self.conn.execute(stmt.values(read_at=now)).rowcount)
