"""The write side of ideas: lifecycle moves, supports, follows, co-creation, flags, views."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, exists, func, insert, literal, select, update
from sqlalchemy.engine import Connection, RowMapping

from lib.adapters.db.schema import core as t
from lib.adapters.db.sql import insert_ignore
from lib.domain.ideas import FlagReason, IdeaStatus
from lib.services.ideas.ports import CommentRecord, IdeaRecord, Suggestion

I = t.ideas.c  # noqa: E741 - a column namespace, read like a table alias
DEFAULT_THRESHOLD = 100
_THRESHOLD = func.coalesce(
    select(t.categories.c.support_threshold).where(t.categories.c.id == I.category_id)
    .scalar_subquery(), DEFAULT_THRESHOLD)
# log10(max(n,1)) + epoch/45000, computed in SQL so it stays right under concurrent supports.
_EPOCH_SECONDS = 45_000


def record(row: RowMapping, images: Sequence[str]) -> IdeaRecord:
    return IdeaRecord(
        id=row["id"], author_id=row["author_id"], title=row["title"], pitch=row["pitch"],
        description_md=row["description_md"], category_id=row["category_id"],
        tags=tuple(x for x in row["tags"].split(",") if x), status=IdeaStatus(row["status"]),
        target_price_min=row["target_price_min"], target_price_max=row["target_price_max"],
        currency=row["currency"], support_count=row["support_count"], threshold=row["threshold"],
        cover_image=row["cover_image"], images=tuple(images),
        published_at=row["published_at"], support_deadline=row["support_deadline"],
        submitted_at=row["submitted_at"], moderation_note=row["moderation_note"],
        needs_review=bool(row["needs_review"]), hidden=bool(row["hidden"]),
        merged_into_id=row["merged_into_id"], created_at=row["created_at"],
    )


RECORD_COLUMNS = (t.ideas, _THRESHOLD.label("threshold"))


class SqlIdeaRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # -- the idea itself --------------------------------------------------------------------
    def add(self, author_id: int, fields: Any, status: IdeaStatus, currency: str, cover: str | None,
            now: datetime) -> int:
        return int(self.conn.execute(insert(t.ideas).values(
            author_id=author_id, title=fields.title, pitch=fields.pitch,
            description_md=fields.description_md, category_id=fields.category_id,
            tags=",".join(fields.tags), status=status.value, target_price_min=fields.target_price_min,
            target_price_max=fields.target_price_max, currency=currency, cover_image=cover,
            created_at=now, updated_at=now,
            submitted_at=now if status is IdeaStatus.PENDING_REVIEW else None,
        ).returning(I.id)).scalar_one())

    def get(self, idea_id: int) -> IdeaRecord | None:
        row = self.conn.execute(select(*RECORD_COLUMNS).where(I.id == idea_id)).mappings().first()
        if row is None:
            return None
        images = self.conn.execute(select(t.idea_images.c.image_key).where(
            t.idea_images.c.idea_id == idea_id).order_by(t.idea_images.c.position)).scalars().all()
        return record(row, images)

    def update_fields(self, idea_id: int, fields: Any, now: datetime, needs_review: bool) -> None:
        self.conn.execute(update(t.ideas).where(I.id == idea_id).values(
            title=fields.title, pitch=fields.pitch, description_md=fields.description_md,
            category_id=fields.category_id, tags=",".join(fields.tags),
            target_price_min=fields.target_price_min, target_price_max=fields.target_price_max,
            updated_at=now, needs_review=needs_review,
            submitted_at=now if needs_review else I.submitted_at))

    def set_images(self, idea_id: int, keys: Sequence[str]) -> None:
        self.conn.execute(delete(t.idea_images).where(t.idea_images.c.idea_id == idea_id))
        if keys:
            self.conn.execute(insert(t.idea_images), [
                {"idea_id": idea_id, "position": i, "image_key": k} for i, k in enumerate(keys)])

    def move(self, idea_id: int, from_statuses: Sequence[IdeaStatus], to: IdeaStatus, now: datetime,
             **values: Any) -> bool:
        """A conditional status change: true only if the idea was in one of `from_statuses`."""
        changed = self.conn.execute(update(t.ideas).where(
            I.id == idea_id, I.status.in_([s.value for s in from_statuses]),
        ).values(status=to.value, updated_at=now, **values)).rowcount
        return changed == 1

    def set_review_state(self, idea_id: int, *, needs_review: bool, note: str | None) -> None:
        self.conn.execute(update(t.ideas).where(I.id == idea_id).values(
            needs_review=needs_review, moderation_note=note))

    def set_hidden(self, idea_id: int, hidden: bool) -> None:
        self.conn.execute(update(t.ideas).where(I.id == idea_id).values(hidden=hidden))

    # -- support ----------------------------------------------------------------------------
    def _bump(self, idea_id: int, delta: int, only_open: bool = False) -> bool:
        """Change the support count (and the hot score with it); with only_open, only while the
        idea is still published: that conditional update is what closes support at the threshold."""
        stmt = update(t.ideas).where(I.id == idea_id)
        if only_open:
            stmt = stmt.where(I.status == IdeaStatus.PUBLISHED.value)
        row = self.conn.execute(stmt.values(support_count=I.support_count + delta)
                                .returning(I.support_count, I.published_at)).first()
        if row is None:
            return False
        base = row.published_at.timestamp() / _EPOCH_SECONDS if row.published_at is not None else 0.0
        score = round(math.log10(max(row.support_count, 1)) + base, 7)
        self.conn.execute(update(t.ideas).where(I.id == idea_id).values(hot_score=score))
        return True

    def add_support(self, idea_id: int, user_id: int, quantity: int | None, max_price: int | None,
                    now: datetime) -> str:
        """'added', 'duplicate' (the primary key allows one per account) or 'closed' (no longer published)."""
        added = insert_ignore(self.conn, t.supports, {
            "idea_id": idea_id, "user_id": user_id, "intent_quantity": quantity,
            "intent_max_price": max_price, "created_at": now})
        if not added:
            return "duplicate"
        return "added" if self._bump(idea_id, +1, only_open=True) else "closed"

    def remove_support(self, idea_id: int, user_id: int) -> bool:
        removed = self.conn.execute(delete(t.supports).where(
            t.supports.c.idea_id == idea_id, t.supports.c.user_id == user_id)).rowcount
        if removed:
            self._bump(idea_id, -1)
        return removed == 1

    def support_count(self, idea_id: int) -> int | None:
        count = self.conn.execute(select(I.support_count).where(I.id == idea_id)).scalar()
        return None if count is None else int(count)

    def has_supported(self, idea_id: int, user_id: int) -> bool:
        return self.conn.execute(select(exists().where(
            t.supports.c.idea_id == idea_id, t.supports.c.user_id == user_id))).scalar() is True

    def mark_winning_if_reached(self, idea_id: int, now: datetime) -> bool:
        """published -> winning once, by whichever transaction first sees the threshold met."""
        return self.conn.execute(update(t.ideas).where(
            I.id == idea_id, I.status == IdeaStatus.PUBLISHED.value, I.support_count >= _THRESHOLD,
        ).values(status=IdeaStatus.WINNING.value, winning_at=now, updated_at=now)).rowcount == 1

    # -- following ----------------------------------------------------------------------------
    def follow(self, idea_id: int, user_id: int, now: datetime) -> bool:
        return insert_ignore(self.conn, t.follows, {"idea_id": idea_id, "user_id": user_id,
                                                     "created_at": now}) == 1

    def unfollow(self, idea_id: int, user_id: int) -> bool:
        return self.conn.execute(delete(t.follows).where(
            t.follows.c.idea_id == idea_id, t.follows.c.user_id == user_id)).rowcount == 1

    def is_following(self, idea_id: int, user_id: int) -> bool:
        return self.conn.execute(select(exists().where(
            t.follows.c.idea_id == idea_id, t.follows.c.user_id == user_id))).scalar() is True

    def followers(self, idea_id: int) -> list[int]:
        return list(self.conn.execute(select(t.follows.c.user_id).where(
            t.follows.c.idea_id == idea_id).order_by(t.follows.c.user_id)).scalars())

    # -- conversation ---------------------------------------------------------------------------
    def add_comment(self, idea_id: int, author_id: int, body_md: str, parent_id: int | None,
                    now: datetime) -> int:
        return int(self.conn.execute(insert(t.comments).values(
            idea_id=idea_id, author_id=author_id, body_md=body_md, parent_id=parent_id, created_at=now,
        ).returning(t.comments.c.id)).scalar_one())

    def comment(self, comment_id: int) -> CommentRecord | None:
        r = self.conn.execute(select(t.comments).where(t.comments.c.id == comment_id)).mappings().first()
        return CommentRecord(id=r["id"], idea_id=r["idea_id"], author_id=r["author_id"], parent_id=r["parent_id"],
                             body_md=r["body_md"], hidden=bool(r["hidden"]), created_at=r["created_at"]) if r else None

    def set_comment_hidden(self, comment_id: int, hidden: bool) -> None:
        self.conn.execute(update(t.comments).where(t.comments.c.id == comment_id).values(hidden=hidden))

    def add_update(self, idea_id: int, author_id: int, body_md: str, now: datetime) -> int:
        return int(self.conn.execute(insert(t.idea_updates).values(
            idea_id=idea_id, author_id=author_id, body_md=body_md, created_at=now,
        ).returning(t.idea_updates.c.id)).scalar_one())

    def add_suggestion(self, idea_id: int, proposer_id: int, body_md: str, image_key: str | None,
                       now: datetime) -> int:
        return int(self.conn.execute(insert(t.suggestions).values(
            idea_id=idea_id, proposer_id=proposer_id, body_md=body_md, image_key=image_key, created_at=now,
        ).returning(t.suggestions.c.id)).scalar_one())

    def suggestion(self, suggestion_id: int) -> Suggestion | None:
        s = t.suggestions.c
        row = self.conn.execute(
            select(t.suggestions, t.users.c.display_name.label("proposer_name"))
            .select_from(t.suggestions.join(t.users, t.users.c.id == s.proposer_id))
            .where(s.id == suggestion_id)).mappings().first()
        if row is None:
            return None
        return Suggestion(id=row["id"], idea_id=row["idea_id"], proposer_id=row["proposer_id"],
                          proposer_name=row["proposer_name"], body_md=row["body_md"],
                          image_key=row["image_key"], status=row["status"],
                          created_at=row["created_at"])

    def decide_suggestion(self, suggestion_id: int, status: str, now: datetime) -> bool:
        s = t.suggestions.c
        return self.conn.execute(update(t.suggestions).where(s.id == suggestion_id, s.status == "open")
                                 .values(status=status, decided_at=now)).rowcount == 1

    def add_co_creator(self, idea_id: int, user_id: int, suggestion_id: int, now: datetime) -> None:
        insert_ignore(self.conn, t.co_creators, {"idea_id": idea_id, "user_id": user_id,
                                                 "suggestion_id": suggestion_id, "created_at": now})

    # -- flags, views, merging, expiry ------------------------------------------------------------
    def add_flag(self, target_type: str, target_id: int, user_id: int, kind: FlagReason, reason: str,
                 now: datetime) -> int:
        """Record one account's flag (once); returns how many accounts have open flags on it."""
        f = t.flags.c
        insert_ignore(self.conn, t.flags, {"target_type": target_type, "target_id": target_id, "user_id": user_id,
                                           "kind": kind.value, "reason": reason[:500], "created_at": now})
        self.conn.execute(update(t.flags).where(f.target_type == target_type, f.target_id == target_id,
                                                f.user_id == user_id, f.resolved_at.is_not(None))
                          .values(resolved_at=None, kind=kind.value, reason=reason[:500], created_at=now))
        return self._open_flags(target_type, target_id)

    def withdraw_flag(self, target_type: str, target_id: int, user_id: int) -> int | None:
        f = t.flags.c
        gone = self.conn.execute(delete(t.flags).where(f.target_type == target_type, f.target_id == target_id,
                                                       f.user_id == user_id, f.resolved_at.is_(None))).rowcount
        return self._open_flags(target_type, target_id) if gone else None

    def _open_flags(self, target_type: str, target_id: int) -> int:
        f = t.flags.c
        return int(self.conn.execute(select(func.count()).where(
            f.target_type == target_type, f.target_id == target_id, f.resolved_at.is_(None))).scalar_one())

    def open_flags_by(self, user_id: int, idea_id: int) -> frozenset[tuple[str, int]]:
        f, c = t.flags.c, t.comments.c
        on_idea = (f.target_type == "idea") & (f.target_id == idea_id)
        on_comments = (f.target_type == "comment") & f.target_id.in_(select(c.id).where(c.idea_id == idea_id))
        rows = self.conn.execute(select(f.target_type, f.target_id).where(
            f.user_id == user_id, f.resolved_at.is_(None), on_idea | on_comments))
        return frozenset((str(r[0]), int(r[1])) for r in rows)

    def resolve_flags(self, target_type: str, target_id: int, now: datetime) -> int:
        f = t.flags.c
        return int(self.conn.execute(update(t.flags).where(
            f.target_type == target_type, f.target_id == target_id, f.resolved_at.is_(None),
        ).values(resolved_at=now)).rowcount)

    def record_view(self, idea_id: int, viewer_key: str, user_id: int | None, now: datetime) -> bool:
        added = insert_ignore(self.conn, t.idea_views, {"idea_id": idea_id, "viewer_key": viewer_key[:64],
                                                        "user_id": user_id, "viewed_at": now})
        if added:
            self.conn.execute(update(t.ideas).where(I.id == idea_id).values(view_count=I.view_count + 1))
        return added == 1

    def merge_supporters(self, duplicate_id: int, original_id: int, now: datetime) -> int:
        """Carry the duplicate's supporters and followers over, each counted once; returns how many moved."""
        sp = t.supports.c
        author = select(I.author_id).where(I.id == original_id).scalar_subquery()
        already = select(sp.user_id).where(sp.idea_id == original_id)
        movers = select(literal(original_id), sp.user_id, sp.intent_quantity, sp.intent_max_price,
                        literal(now)).where(sp.idea_id == duplicate_id, sp.user_id.not_in(already),
                                            sp.user_id != author)
        moved = self.conn.execute(insert(t.supports).from_select(
            ["idea_id", "user_id", "intent_quantity", "intent_max_price", "created_at"], movers),
            execution_options={"preserve_rowcount": True}).rowcount
        fo = t.follows.c
        self.conn.execute(insert(t.follows).from_select(
            ["idea_id", "user_id", "created_at"],
            select(literal(original_id), fo.user_id, literal(now)).where(
                fo.idea_id == duplicate_id,
                fo.user_id.not_in(select(fo.user_id).where(fo.idea_id == original_id)))))
        if moved:
            self.recount(original_id)
        return int(moved)

    def recount(self, idea_id: int) -> int:
        """Set the support count from the support rows themselves (and the hot score with it)."""
        sp = t.supports.c
        count = self.conn.execute(select(func.count()).where(sp.idea_id == idea_id)).scalar_one()
        self.conn.execute(update(t.ideas).where(I.id == idea_id).values(support_count=count))
        self._bump(idea_id, 0)
        return int(count)

    def mark_merged(self, duplicate_id: int, original_id: int, now: datetime) -> None:
        self.conn.execute(update(t.ideas).where(I.id == duplicate_id).values(
            merged_into_id=original_id, hidden=True, updated_at=now))

    def reached_threshold(self) -> list[int]:
        """Published ideas already at their threshold (after an admin lowered it)."""
        return list(self.conn.execute(select(I.id).where(
            I.status == IdeaStatus.PUBLISHED.value, I.support_count >= _THRESHOLD)).scalars())

    def expire_due(self, now: datetime) -> list[int]:
        """published ideas whose window closed below the threshold become expired."""
        due = list(self.conn.execute(select(I.id).where(
            I.status == IdeaStatus.PUBLISHED.value, I.support_deadline < now,
            I.support_count < _THRESHOLD)).scalars())
        if due:
            self.conn.execute(update(t.ideas).where(
                I.id.in_(due), I.status == IdeaStatus.PUBLISHED.value,
            ).values(status=IdeaStatus.EXPIRED.value, updated_at=now))
        return due

    def candidates(self, category_id: int | None, exclude_id: int | None, limit: int) -> list[tuple[int, str]]:
        """Recent public ideas (same category first) to compare a new one against."""
        from lib.domain.ideas import PUBLIC_STATUSES

        stmt = select(I.id, I.title, I.pitch).where(
            I.status.in_([s.value for s in PUBLIC_STATUSES]), I.hidden.is_(False))
        if exclude_id is not None:
            stmt = stmt.where(I.id != exclude_id)
        if category_id is not None:
            stmt = stmt.order_by((I.category_id == category_id).desc(), I.id.desc())
        else:
            stmt = stmt.order_by(I.id.desc())
        return [(r.id, f"{r.title} {r.pitch}") for r in self.conn.execute(stmt.limit(limit))]

