"""Moderation reads and the append-only audit log."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, null, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.dml import ReturningInsert, ReturningUpdate

from lib.adapters.db.repos.ideas import RECORD_COLUMNS, record
from lib.adapters.db.schema import commerce
from lib.adapters.db.schema import core as t
from lib.domain.errors import NotFound, ReasonTemplateExists
from lib.domain.ideas import FlagReason, IdeaStatus
from lib.services.ideas.ports import AuditEntry, FlaggedItem, FlagNote, QueuedIdea

I = t.ideas.c  # noqa: E741
_IN_QUEUE = or_(I.status == IdeaStatus.PENDING_REVIEW.value, I.needs_review.is_(True))


class SqlModerationQueries:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def queue(self, limit: int, offset: int) -> list[QueuedIdea]:
        """Oldest submission first."""
        rows = self.conn.execute(select(*RECORD_COLUMNS, t.users.c.display_name.label("author_name"))
                                 .join_from(t.ideas, t.users, t.users.c.id == I.author_id).where(_IN_QUEUE)
                                 .order_by(I.submitted_at.asc(), I.id.asc()).limit(limit).offset(offset))
        return [QueuedIdea(**vars(record(r, ())), author_name=r["author_name"]) for r in rows.mappings()]

    def queue_counts(self) -> dict[str, int]:
        f = t.flags.c
        waiting = self.conn.execute(select(func.count()).where(_IN_QUEUE)).scalar_one()
        open_targets = select(f.target_type, f.target_id).where(f.resolved_at.is_(None)).distinct().subquery()
        flagged = self.conn.execute(select(func.count()).select_from(open_targets)).scalar_one()
        hidden = self.conn.execute(select(func.count()).where(I.hidden.is_(True))).scalar_one()
        return {"waiting": int(waiting), "flagged": int(flagged), "hidden_ideas": int(hidden)}

    def flagged(self, limit: int) -> list[FlaggedItem]:
        """Items with open flags, most-flagged first, with their reasons."""
        f = t.flags.c
        rows = self.conn.execute(
            select(f.target_type, f.target_id, func.count().label("flags"),
                   func.min(f.created_at).label("first_flagged"))
            .where(f.resolved_at.is_(None)).group_by(f.target_type, f.target_id)
            .order_by(func.count().desc(), func.min(f.created_at)).limit(limit)).mappings().all()
        result = []
        for row in rows:
            reasons = [FlagNote(kind=FlagReason(r["kind"]), text=r["reason"])
                       for r in self.conn.execute(select(f.kind, f.reason).where(
                           f.target_type == row["target_type"], f.target_id == row["target_id"],
                           f.resolved_at.is_(None)).order_by(f.created_at)).mappings()]
            if row["target_type"] == "idea":
                found = self.conn.execute(select(I.title.label("text"), I.hidden, I.id.label("idea_id"))
                                          .where(I.id == row["target_id"])).mappings().first()
            else:
                c = t.comments.c
                found = self.conn.execute(select(c.body_md.label("text"), c.hidden, c.idea_id)
                                          .where(c.id == row["target_id"])).mappings().first()
            if found is not None:
                result.append(FlaggedItem(target_type=row["target_type"], target_id=row["target_id"],
                                          idea_id=found["idea_id"], text=found["text"], hidden=bool(found["hidden"]),
                                          flags=row["flags"], first_flagged=row["first_flagged"],
                                          reasons=tuple(reasons)))
        return result

    def audit(self, limit: int, offset: int, target_type: str | None, target_id: int | None) -> list[AuditEntry]:
        a = t.audit_log.c
        stmt = (select(t.audit_log, t.users.c.display_name.label("actor_name"))
                .select_from(t.audit_log.join(t.users, t.users.c.id == a.actor_id))
                .order_by(a.id.desc()).limit(limit).offset(offset))
        if target_type:
            stmt = stmt.where(a.target_type == target_type)
        if target_id is not None:
            stmt = stmt.where(a.target_id == target_id)
        rows = list(self.conn.execute(stmt).mappings())
        named = self._audit_targets({(r["target_type"], r["target_id"]) for r in rows})
        return [AuditEntry(id=r["id"], actor_id=r["actor_id"], actor_name=r["actor_name"], action=r["action"],
                           target_type=r["target_type"], target_id=r["target_id"], reason=r["reason"],
                           details=json.loads(r["details"]), created_at=r["created_at"], target_name=name,
                           target_idea_id=idea_id)
                for r in rows for name, idea_id in [named.get((r["target_type"], r["target_id"]), (None, None))]]

    def _audit_targets(self, targets: set[tuple[str, int]]) -> dict[tuple[str, int], tuple[str, int | None]]:
        """What each audited target is called (and the idea page it lives on): one query per kind."""
        ids: dict[str, list[int]] = {}
        for kind, target_id in targets:
            ids.setdefault(kind, []).append(target_id)
        i, c, u = t.ideas.c, t.comments.c, t.users.c
        o, p = commerce.orders.c, commerce.payouts.c
        queries: dict[str, Any] = {
            "idea": select(i.id, i.title, i.id),
            "comment": select(c.id, i.title, i.id).join_from(t.comments, t.ideas, i.id == c.idea_id),
            "user": select(u.id, u.display_name, null()),
            "order": select(o.id, o.title, o.idea_id),
            "payout": select(p.id, u.display_name, null()).join_from(commerce.payouts, t.users, u.id == p.user_id),
            "category": select(t.categories.c.id, t.categories.c.slug, null()),
            "template": select(t.reason_templates.c.id, t.reason_templates.c.title, null()),
        }
        found: dict[tuple[str, int], tuple[str, int | None]] = {}
        for kind, wanted in ids.items():
            query = queries.get(kind)
            if query is None:
                continue
            key_column = query.selected_columns[0]
            for target_id, name, idea_id in self.conn.execute(query.where(key_column.in_(wanted))):
                found[(kind, int(target_id))] = (str(name), int(idea_id) if idea_id is not None else None)
        return found

    def add_audit(self, actor_id: int, action: str, target_type: str, target_id: int, reason: str,
                  details: dict[str, Any], now: datetime) -> int:
        return int(self.conn.execute(insert(t.audit_log).values(
            actor_id=actor_id, action=action, target_type=target_type, target_id=target_id,
            reason=reason, details=json.dumps(details, ensure_ascii=False, default=str), created_at=now,
        ).returning(t.audit_log.c.id)).scalar_one())

    def templates(self) -> list[tuple[int, str, str]]:
        r = t.reason_templates.c
        return [(row.id, row.title, row.body) for row in
                self.conn.execute(select(r.id, r.title, r.body).order_by(r.title))]

    def save_template(self, template_id: int | None, title: str, body: str) -> int:
        """Insert or update; a title another template has is ReasonTemplateExists (the unique constraint
        decides, inside a savepoint, so the rest of the transaction stays usable on PostgreSQL too)."""
        r = t.reason_templates.c
        stmt: ReturningInsert[Any] | ReturningUpdate[Any]
        if template_id is None:
            stmt = insert(t.reason_templates).values(title=title, body=body).returning(r.id)
        else:
            stmt = update(t.reason_templates).where(r.id == template_id).values(title=title, body=body) \
                .returning(r.id)
        try:
            with self.conn.begin_nested():
                saved = self.conn.execute(stmt).scalar_one_or_none()
        except IntegrityError as exc:
            raise ReasonTemplateExists() from exc
        if saved is None:
            raise NotFound()
        return int(saved)

    def delete_template(self, template_id: int) -> None:
        self.conn.execute(delete(t.reason_templates).where(t.reason_templates.c.id == template_id))
