"""Tables of accounts, ideas, co-creation, moderation, notifications and settings."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from lib.adapters.db.schema.base import Id, metadata
from lib.adapters.db.schema.base import ts as _ts

users = Table(
    "users", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("display_name", String(60), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("referral_code", String(16), nullable=False, unique=True),
    Column("status", String(16), nullable=False, server_default="active"),
    Column("locale", String(8), nullable=False, server_default="en"),
    Column("time_zone", String(64), nullable=True),
    _ts("email_verified_at"),
    Column("failed_sign_ins", Integer, nullable=False, server_default="0"),
    _ts("first_failed_at"),
    _ts("locked_until"),
    _ts("created_at", nullable=False),
)

user_roles = Table(
    "user_roles", metadata,
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(16), primary_key=True),
)

auth_sessions = Table(
    "auth_sessions", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("token_hash", String(64), unique=True),
    Column("handoff_hash", String(64), unique=True),
    _ts("handoff_expires_at"),
    _ts("created_at", nullable=False),
    _ts("expires_at", nullable=False),
    _ts("revoked_at"),
    _ts("last_seen_at"),
)

# Fixed-window request counters (sign-ups, password resets, verification e-mails), per key:
# "<action>:address:<sha256>" or "<action>:client:<sha256>"; counted with one conditional update.
request_throttles = Table(
    "request_throttles", metadata,
    Column("key", String(100), primary_key=True),
    _ts("window_start", nullable=False),
    Column("count", Integer, nullable=False, server_default="0"),
)

email_tokens = Table(
    "email_tokens", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("purpose", String(32), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    _ts("expires_at", nullable=False),
    _ts("used_at"),
)

outbox = Table(
    "outbox", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("to_address", String(254), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("body", Text, nullable=False),
    _ts("created_at", nullable=False),
    _ts("sent_at"),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text),
    # Not tried again before this moment (backoff after a failure); past MAX_ATTEMPTS it is a dead letter.
    _ts("next_attempt_at", nullable=False),
    Index("ix_outbox_due", "sent_at", "next_attempt_at"),
)

notifications = Table(
    "notifications", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("params", Text, nullable=False, server_default="{}"),
    Column("link", String(200)),
    _ts("created_at", nullable=False),
    _ts("read_at"),
    Index("ix_notifications_user_unread", "user_id", "read_at"),
)

settings = Table(
    "settings", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

job_locks = Table(
    "job_locks", metadata,
    Column("name", String(64), primary_key=True),
    Column("holder", String(64)),
    _ts("locked_until"),
    _ts("last_run_at"),
    _ts("heartbeat_at"),  # when the holder last extended locked_until (a live runner renews it)
)

# One row per due job that has failed: how often in a row, and when the runner may try it again.
job_runs = Table(
    "job_runs", metadata,
    Column("name", String(64), primary_key=True),
    Column("failures", Integer, nullable=False, server_default="0"),
    _ts("next_run_at"),
    _ts("last_failed_at"),
    Column("last_error", Text),
)

# One-time keys of the forms that move money: a second submission with the same key (a double
# click, a retried request) is answered with the first one's result instead of a second effect.
request_keys = Table(
    "request_keys", metadata,
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("key", String(64), primary_key=True),
    Column("action", String(40), nullable=False),
    Column("result_id", BigInteger),
    _ts("created_at", nullable=False),
)

categories = Table(
    "categories", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("slug", String(40), nullable=False, unique=True),
    Column("name_en", String(60), nullable=False),
    Column("name_ko", String(60), nullable=False),
    Column("support_threshold", Integer, nullable=False, server_default="100"),
    CheckConstraint("support_threshold > 0", name="threshold_positive"),
)

ideas = Table(
    "ideas", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("author_id", Id, ForeignKey("users.id"), nullable=False, index=True),
    Column("title", String(120), nullable=False),
    Column("pitch", String(200), nullable=False),
    Column("description_md", Text, nullable=False),
    Column("category_id", Id, ForeignKey("categories.id")),
    Column("tags", String(400), nullable=False, server_default=""),
    Column("status", String(24), nullable=False, index=True),
    Column("target_price_min", BigInteger),
    Column("target_price_max", BigInteger),
    Column("currency", String(3), nullable=False),
    Column("support_count", Integer, nullable=False, server_default="0"),
    Column("cover_image", String(80)),
    _ts("published_at"),
    _ts("support_deadline"),
    _ts("created_at", nullable=False),
    _ts("updated_at", nullable=False),
    # Curation: when it was (re)submitted, the moderator's last word, hidden by flags/moderators.
    _ts("submitted_at"),
    Column("moderation_note", Text),
    Column("needs_review", Boolean, nullable=False, server_default="0"),
    Column("hidden", Boolean, nullable=False, server_default="0"),
    Column("merged_into_id", Id, ForeignKey("ideas.id")),
    _ts("winning_at"),
    # Hot rank without a clock: log10(supports) + published_epoch / 45000, kept current on support.
    Column("hot_score", Float, nullable=False, server_default="0"),
    Column("view_count", Integer, nullable=False, server_default="0"),
    CheckConstraint("support_count >= 0", name="support_count_nonneg"),
    Index("ix_ideas_status_hot", "status", "hot_score"),
    Index("ix_ideas_status_support", "status", "support_count"),
    Index("ix_ideas_status_published", "status", "published_at"),
    Index("ix_ideas_status_deadline", "status", "support_deadline"),
    # Single-column ones let a multi-status feed walk its order and stop at the page size.
    Index("ix_ideas_hot", "hot_score"),
    Index("ix_ideas_support", "support_count"),
    Index("ix_ideas_published", "published_at"),
)

idea_images = Table(
    "idea_images", metadata,
    Column("idea_id", Id, ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("image_key", String(80), nullable=False),
)

supports = Table(
    "supports", metadata,
    Column("idea_id", Id, ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("intent_quantity", Integer),
    Column("intent_max_price", BigInteger),
    _ts("created_at", nullable=False),
)

follows = Table(
    "follows", metadata,
    Column("idea_id", Id, ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    _ts("created_at", nullable=False),
)

comments = Table(
    "comments", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("idea_id", Id, ForeignKey("ideas.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("author_id", Id, ForeignKey("users.id"), nullable=False),
    Column("parent_id", Id, ForeignKey("comments.id", ondelete="CASCADE")),
    Column("body_md", Text, nullable=False),
    Column("hidden", Boolean, nullable=False, server_default="0"),
    _ts("created_at", nullable=False),
)

idea_updates = Table(
    "idea_updates", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("idea_id", Id, ForeignKey("ideas.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("author_id", Id, ForeignKey("users.id"), nullable=False),
    Column("body_md", Text, nullable=False),
    _ts("created_at", nullable=False),
)

suggestions = Table(
    "suggestions", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("idea_id", Id, ForeignKey("ideas.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("proposer_id", Id, ForeignKey("users.id"), nullable=False),
    Column("body_md", Text, nullable=False),
    Column("image_key", String(80)),
    Column("status", String(16), nullable=False, server_default="open"),
    _ts("created_at", nullable=False),
    _ts("decided_at"),
)

co_creators = Table(
    "co_creators", metadata,
    Column("idea_id", Id, ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("suggestion_id", Id, ForeignKey("suggestions.id")),
    _ts("created_at", nullable=False),
)

flags = Table(
    "flags", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("target_type", String(16), nullable=False),
    Column("target_id", Id, nullable=False),
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False, server_default="other"),  # lib.domain.ideas.FlagReason
    Column("reason", String(500), nullable=False, server_default=""),
    _ts("created_at", nullable=False),
    _ts("resolved_at"),
    UniqueConstraint("target_type", "target_id", "user_id", name="uq_flags_once_per_account"),
    Index("ix_flags_open", "target_type", "target_id", "resolved_at"),
)

idea_views = Table(
    "idea_views", metadata,
    Column("idea_id", Id, ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True),
    Column("viewer_key", String(64), primary_key=True),
    Column("user_id", Id, ForeignKey("users.id", ondelete="SET NULL")),
    _ts("viewed_at", nullable=False),
)

# Append-only: triggers in the migration refuse UPDATE and DELETE on both databases.
audit_log = Table(
    "audit_log", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("actor_id", Id, ForeignKey("users.id"), nullable=False),
    Column("action", String(40), nullable=False),
    Column("target_type", String(16), nullable=False),
    Column("target_id", Id, nullable=False),
    Column("reason", Text, nullable=False, server_default=""),
    Column("details", Text, nullable=False, server_default="{}"),
    _ts("created_at", nullable=False),
    Index("ix_audit_target", "target_type", "target_id"),
)

reason_templates = Table(
    "reason_templates", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("title", String(80), nullable=False, unique=True),
    Column("body", Text, nullable=False),
)
