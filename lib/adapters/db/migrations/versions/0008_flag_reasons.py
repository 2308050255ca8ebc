"""flag reasons

A flag says why (flags.kind: spam, offensive, misleading or other, next to the optional text in
flags.reason); flags from before say "other".

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 04:40:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), server_default='other', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_column('kind')
