"""Session idle timeout (last_seen_at) and request throttles

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24

`auth_sessions.last_seen_at` records a session's latest activity, so an idle timeout can be
enforced next to the absolute lifetime. `request_throttles` counts sign-ups, password resets and
verification e-mails per address and per client in fixed windows.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("auth_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "request_throttles",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_request_throttles")),
    )


def downgrade() -> None:
    op.drop_table("request_throttles")
    with op.batch_alter_table("auth_sessions", schema=None) as batch_op:
        batch_op.drop_column("last_seen_at")
