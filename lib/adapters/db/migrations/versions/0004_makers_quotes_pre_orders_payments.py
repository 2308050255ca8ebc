"""makers, quotes, pre-orders, payments

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 12:33:52.589410
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('webhook_events',
    sa.Column('id', sa.String(length=120), nullable=False),
    sa.Column('type', sa.String(length=80), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_events'))
    )
    op.create_table('maker_profiles',
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('business_name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('capabilities', sa.String(length=500), nullable=False),
    sa.Column('location', sa.String(length=120), nullable=False),
    sa.Column('sample_images', sa.String(length=600), server_default='', nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_maker_profiles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_maker_profiles'))
    )
    op.create_table('payment_customers',
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('gateway', sa.String(length=16), nullable=False),
    sa.Column('customer_ref', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_payment_customers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'gateway', name=op.f('pk_payment_customers'))
    )
    op.create_table('quotes',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('idea_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('maker_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('unit_cost', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('moq', sa.Integer(), nullable=False),
    sa.Column('lead_time_days', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), server_default='', nullable=False),
    sa.Column('image_keys', sa.String(length=600), server_default='', nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('author_consent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('moq > 0', name=op.f('ck_quotes_moq_positive')),
    sa.CheckConstraint('unit_cost > 0', name=op.f('ck_quotes_unit_cost_positive')),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_quotes_idea_id_ideas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['maker_id'], ['users.id'], name=op.f('fk_quotes_maker_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quotes'))
    )
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quotes_idea_id'), ['idea_id'], unique=False)

    op.create_table('preorders',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('campaign_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price', sa.BigInteger(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('ship_name', sa.String(length=200), nullable=False),
    sa.Column('ship_line1', sa.String(length=200), nullable=False),
    sa.Column('ship_line2', sa.String(length=200), server_default='', nullable=False),
    sa.Column('ship_city', sa.String(length=200), nullable=False),
    sa.Column('ship_postal_code', sa.String(length=200), nullable=False),
    sa.Column('ship_country', sa.String(length=200), nullable=False),
    sa.Column('ship_phone', sa.String(length=200), server_default='', nullable=False),
    sa.Column('gateway', sa.String(length=16), nullable=False),
    sa.Column('customer_ref', sa.String(length=120), nullable=True),
    sa.Column('method_ref', sa.String(length=120), nullable=True),
    sa.Column('card_brand', sa.String(length=20), nullable=True),
    sa.Column('card_last4', sa.String(length=4), nullable=True),
    sa.Column('hold_ref', sa.String(length=120), nullable=True),
    sa.Column('payment_ref', sa.String(length=120), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('grace_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failure_message', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_preorders_quantity_positive')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_preorders_campaign_id_campaigns')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_preorders_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_preorders'))
    )
    with op.batch_alter_table('preorders', schema=None) as batch_op:
        batch_op.create_index('ix_preorders_campaign_status', ['campaign_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_preorders_user_id'), ['user_id'], unique=False)

    op.create_table('payment_attempts',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('preorder_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('idempotency_key', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('payment_ref', sa.String(length=120), nullable=True),
    sa.Column('failure_code', sa.String(length=60), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['preorder_id'], ['preorders.id'], name=op.f('fk_payment_attempts_preorder_id_preorders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_attempts')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_payment_attempts_idempotency_key'))
    )
    with op.batch_alter_table('payment_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_attempts_preorder_id'), ['preorder_id'], unique=False)

    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quote_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch_op.add_column(sa.Column('platform_fee', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('creator_royalty', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('co_creator_pool', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('uses_hold', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('settled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_campaigns_quote_id_quotes'), 'quotes', ['quote_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_campaigns_quote_id_quotes'), type_='foreignkey')
        batch_op.drop_column('settled_at')
        batch_op.drop_column('uses_hold')
        batch_op.drop_column('co_creator_pool')
        batch_op.drop_column('creator_royalty')
        batch_op.drop_column('platform_fee')
        batch_op.drop_column('quote_id')

    with op.batch_alter_table('payment_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_attempts_preorder_id'))

    op.drop_table('payment_attempts')
    with op.batch_alter_table('preorders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_preorders_user_id'))
        batch_op.drop_index('ix_preorders_campaign_status')

    op.drop_table('preorders')
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quotes_idea_id'))

    op.drop_table('quotes')
    op.drop_table('payment_customers')
    op.drop_table('maker_profiles')
    op.drop_table('webhook_events')
