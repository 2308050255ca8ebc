"""job backoff and campaign limits

The outbox backs off between attempts (next_attempt_at), the job lock records its heartbeat, failed
jobs are retried with backoff (job_runs), money-moving forms carry one-time request keys
(request_keys), and a campaign may limit what one account pre-orders (per_account_limit, counted in
campaign_backers).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 10:00:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE outbox SET next_attempt_at = created_at")
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.alter_column('next_attempt_at', existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.create_index('ix_outbox_due', ['sent_at', 'next_attempt_at'], unique=False)

    with op.batch_alter_table('job_locks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))

    op.create_table('job_runs',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), server_default='0', nullable=False),
    sa.Column('next_run_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_failed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_job_runs'))
    )

    op.create_table('request_keys',
    sa.Column('user_id', _ID, nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('result_id', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_request_keys_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'key', name=op.f('pk_request_keys'))
    )

    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('per_account_limit', sa.Integer(), nullable=True))
        batch_op.create_check_constraint('limit_positive', 'per_account_limit IS NULL OR per_account_limit > 0')

    op.create_table('campaign_backers',
    sa.Column('campaign_id', _ID, nullable=False),
    sa.Column('user_id', _ID, nullable=False),
    sa.Column('quantity', sa.Integer(), server_default='0', nullable=False),
    sa.CheckConstraint('quantity >= 0', name=op.f('ck_campaign_backers_quantity_nonneg')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_backers_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_campaign_backers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('campaign_id', 'user_id', name=op.f('pk_campaign_backers'))
    )
    # Backers of campaigns opened before this migration: what they hold now.
    op.execute(
        "INSERT INTO campaign_backers (campaign_id, user_id, quantity) "
        "SELECT campaign_id, user_id, SUM(quantity) FROM preorders "
        "WHERE status IN ('reserved', 'pledged', 'charging', 'paid', 'payment_failed') "
        "GROUP BY campaign_id, user_id"
    )


def downgrade() -> None:
    op.drop_table('campaign_backers')
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_campaigns_limit_positive'), type_='check')
        batch_op.drop_column('per_account_limit')
    op.drop_table('request_keys')
    op.drop_table('job_runs')
    with op.batch_alter_table('job_locks', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_due')
        batch_op.drop_column('next_attempt_at')
