"""Tables of makers, quotes, campaigns, pre-orders and the record of payment attempts."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, CheckConstraint, Column, ForeignKey, Index, Integer, String, Table, Text

from lib.adapters.db.schema.base import Id, metadata, shipping_address_columns
from lib.adapters.db.schema.base import ts as _ts

maker_profiles = Table(
    "maker_profiles", metadata,
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("business_name", String(120), nullable=False),
    Column("description", Text, nullable=False),
    Column("capabilities", String(500), nullable=False),
    Column("location", String(120), nullable=False),
    Column("sample_images", String(600), nullable=False, server_default=""),
    Column("status", String(16), nullable=False),
    Column("decision_note", Text),
    _ts("created_at", nullable=False),
    _ts("decided_at"),
)

quotes = Table(
    "quotes", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("idea_id", Id, ForeignKey("ideas.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("maker_id", Id, ForeignKey("users.id"), nullable=False),
    Column("unit_cost", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("moq", Integer, nullable=False),
    Column("lead_time_days", Integer, nullable=False),
    Column("notes", Text, nullable=False, server_default=""),
    Column("image_keys", String(600), nullable=False, server_default=""),
    Column("status", String(16), nullable=False),
    _ts("author_consent_at"),
    _ts("created_at", nullable=False),
    _ts("updated_at", nullable=False),
    CheckConstraint("unit_cost > 0", name="unit_cost_positive"),
    CheckConstraint("moq > 0", name="moq_positive"),
)

campaigns = Table(
    "campaigns", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("idea_id", Id, ForeignKey("ideas.id"), nullable=False, unique=True),
    Column("maker_id", Id, ForeignKey("users.id"), nullable=False),
    Column("unit_cost", BigInteger, nullable=False),
    Column("price", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("goal_units", Integer, nullable=False),
    Column("cap_units", Integer),
    Column("pledged_units", Integer, nullable=False, server_default="0"),
    Column("status", String(24), nullable=False),
    _ts("opens_at", nullable=False),
    _ts("deadline", nullable=False),
    Column("quote_id", Id, ForeignKey("quotes.id")),
    Column("platform_fee", BigInteger, nullable=False, server_default="0"),
    Column("creator_royalty", BigInteger, nullable=False, server_default="0"),
    Column("co_creator_pool", BigInteger, nullable=False, server_default="0"),
    Column("uses_hold", Boolean, nullable=False, server_default="0"),
    _ts("settled_at"),
    Column("per_account_limit", Integer),  # units one account may pre-order in all (None: no limit)
    CheckConstraint("price >= unit_cost", name="price_covers_cost"),
    CheckConstraint("goal_units > 0", name="goal_positive"),
    CheckConstraint("cap_units IS NULL OR pledged_units <= cap_units", name="within_cap"),
    CheckConstraint("per_account_limit IS NULL OR per_account_limit > 0", name="limit_positive"),
)

# Units each account holds in a campaign (reserved, pledged or paid): the per-account limit is a
# conditional update on this row, so concurrent pre-orders of one account cannot pass it.
campaign_backers = Table(
    "campaign_backers", metadata,
    Column("campaign_id", Id, ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("quantity", Integer, nullable=False, server_default="0"),
    CheckConstraint("quantity >= 0", name="quantity_nonneg"),
)

payment_customers = Table(
    "payment_customers", metadata,
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("gateway", String(16), primary_key=True),
    Column("customer_ref", String(120), nullable=False),
)

preorders = Table(
    "preorders", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("campaign_id", Id, ForeignKey("campaigns.id"), nullable=False),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False, index=True),
    Column("quantity", Integer, nullable=False),
    Column("unit_price", BigInteger, nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(16), nullable=False),
    *shipping_address_columns(),
    Column("gateway", String(16), nullable=False),
    Column("customer_ref", String(120)),
    Column("method_ref", String(120)),
    Column("card_brand", String(20)),
    Column("card_last4", String(4)),
    Column("hold_ref", String(120)),
    Column("payment_ref", String(120)),
    Column("attempts", Integer, nullable=False, server_default="0"),
    _ts("grace_until"),
    Column("failure_message", String(300)),
    Column("referrer_id", Id, ForeignKey("users.id")),  # who referred the backer (30-day window)
    _ts("created_at", nullable=False),
    _ts("updated_at", nullable=False),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    Index("ix_preorders_campaign_status", "campaign_id", "status"),
)

# One row per call to the gateway that moves money: the ledger of charges settlement is checked against.
payment_attempts = Table(
    "payment_attempts", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("preorder_id", Id, ForeignKey("preorders.id"), nullable=False, index=True),
    Column("idempotency_key", String(120), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("payment_ref", String(120)),
    Column("failure_code", String(60)),
    _ts("created_at", nullable=False),
    _ts("finished_at"),
)

webhook_events = Table(
    "webhook_events", metadata,
    Column("id", String(120), primary_key=True),
    Column("type", String(80), nullable=False),
    _ts("received_at", nullable=False),
)
