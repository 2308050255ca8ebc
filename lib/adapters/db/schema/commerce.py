"""Tables of orders, refunds, the shop, reviews, referrals and the double-entry ledger."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from lib.adapters.db.schema.base import Id, metadata, shipping_address_columns
from lib.adapters.db.schema.base import ts as _ts

listings = Table(
    "listings", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("idea_id", Id, ForeignKey("ideas.id"), nullable=False),
    Column("maker_id", Id, ForeignKey("users.id"), nullable=False, index=True),
    Column("campaign_id", Id, ForeignKey("campaigns.id"), unique=True),
    Column("title", String(120), nullable=False),
    Column("description_md", Text, nullable=False),
    Column("price", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("stock", Integer, nullable=False),
    Column("sold", Integer, nullable=False, server_default="0"),
    Column("status", String(16), nullable=False),
    _ts("starts_at"),
    Column("per_account_limit", Integer),
    Column("consumable", Boolean, nullable=False, server_default="0"),
    Column("reorder_days", Integer, nullable=False, server_default="30"),
    _ts("created_at", nullable=False),
    _ts("updated_at"),
    CheckConstraint("sold >= 0", name="sold_nonneg"),
    CheckConstraint("stock >= 0", name="stock_nonneg"),
    CheckConstraint("sold <= stock", name="not_oversold"),
    CheckConstraint("price > 0", name="price_positive"),
    CheckConstraint("per_account_limit IS NULL OR per_account_limit > 0", name="limit_positive"),
    CheckConstraint("reorder_days > 0", name="reorder_days_positive"),
)

# Units each account has bought from a listing: the per-account limit of a drop is a conditional
# update on this row, so concurrent buyers cannot pass it.
listing_buyers = Table(
    "listing_buyers", metadata,
    Column("listing_id", Id, ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("quantity", Integer, nullable=False, server_default="0"),
    CheckConstraint("quantity >= 0", name="quantity_nonneg"),
)

orders = Table(
    "orders", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("source", String(16), nullable=False),
    Column("buyer_id", Id, ForeignKey("users.id"), nullable=False, index=True),
    Column("maker_id", Id, ForeignKey("users.id"), nullable=False),
    Column("idea_id", Id, ForeignKey("ideas.id"), nullable=False),
    Column("campaign_id", Id, ForeignKey("campaigns.id")),
    Column("listing_id", Id, ForeignKey("listings.id")),
    Column("preorder_id", Id, ForeignKey("preorders.id"), unique=True),
    Column("title", String(120), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price", BigInteger, nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("refunded", BigInteger, nullable=False, server_default="0"),
    Column("currency", String(3), nullable=False),
    Column("status", String(16), nullable=False),
    Column("referrer_id", Id, ForeignKey("users.id")),
    Column("gateway", String(16), nullable=False),
    Column("customer_ref", String(120)),
    Column("method_ref", String(120)),
    Column("card_brand", String(20)),
    Column("card_last4", String(4)),
    Column("payment_ref", String(120)),
    Column("payment_key", String(120), unique=True),
    Column("failure_message", String(300)),
    *shipping_address_columns(),
    Column("carrier", String(40)),
    Column("tracking_number", String(40)),
    _ts("created_at", nullable=False),
    _ts("paid_at"),
    _ts("shipped_at"),
    _ts("delivered_at"),
    _ts("updated_at", nullable=False),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    CheckConstraint("amount > 0", name="amount_positive"),
    CheckConstraint("refunded >= 0 AND refunded <= amount", name="refund_within_amount"),
    Index("ix_orders_maker_status", "maker_id", "status"),
    Index("ix_orders_listing_buyer", "listing_id", "buyer_id"),
    Index("ix_orders_referrer", "referrer_id"),
)

# Messages a maker posts to the buyers of one campaign or listing.
order_updates = Table(
    "order_updates", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("maker_id", Id, ForeignKey("users.id"), nullable=False),
    Column("campaign_id", Id, ForeignKey("campaigns.id")),
    Column("listing_id", Id, ForeignKey("listings.id")),
    Column("body_md", Text, nullable=False),
    _ts("created_at", nullable=False),
)

# One row per refund sent to the gateway, written before the call (crash-safe, like payment_attempts).
refunds = Table(
    "refunds", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False, index=True),
    Column("actor_id", Id, ForeignKey("users.id"), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(16), nullable=False),
    Column("idempotency_key", String(120), nullable=False, unique=True),
    Column("refund_ref", String(120)),
    Column("reason", String(500), nullable=False, server_default=""),
    _ts("created_at", nullable=False),
    _ts("finished_at"),
    CheckConstraint("amount > 0", name="amount_positive"),
)

reviews = Table(
    "reviews", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("order_id", Id, ForeignKey("orders.id"), nullable=False, unique=True),
    Column("listing_id", Id, ForeignKey("listings.id"), nullable=False, index=True),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False),
    Column("rating", Integer, nullable=False),
    Column("body", Text, nullable=False, server_default=""),
    Column("maker_reply", Text),
    _ts("created_at", nullable=False),
    _ts("replied_at"),
    CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
)

# "Running low?" reminders: at most one per purchase that started the wait.
reminders = Table(
    "reminders", metadata,
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("listing_id", Id, ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True),
    Column("after_order_id", Id, ForeignKey("orders.id"), primary_key=True),
    _ts("sent_at", nullable=False),
)

referral_clicks = Table(
    "referral_clicks", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("referrer_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("visitor_key", String(64), nullable=False),
    Column("user_id", Id, ForeignKey("users.id", ondelete="SET NULL")),
    Column("target", String(80), nullable=False, server_default=""),
    _ts("created_at", nullable=False),
    Index("ix_referral_clicks_user_created", "user_id", "created_at"),
    Index("ix_referral_clicks_visitor", "visitor_key"),
)

# A transaction groups entries that sum to zero; dedupe_key makes each business event post once
# ("sale:<order>", "refund:<refund>", "payout:<payout>").
ledger_transactions = Table(
    "ledger_transactions", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("dedupe_key", String(80), nullable=False, unique=True),
    Column("order_id", Id, ForeignKey("orders.id"), index=True),
    Column("currency", String(3), nullable=False),
    Column("memo", String(200), nullable=False, server_default=""),
    _ts("created_at", nullable=False),
)

# Debits positive, credits negative. Accounts: cash, maker, platform, creator, co_creator,
# referrer, payment_fee; payee accounts carry the user they owe.
ledger_entries = Table(
    "ledger_entries", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("transaction_id", Id, ForeignKey("ledger_transactions.id"), nullable=False, index=True),
    Column("account", String(16), nullable=False),
    Column("user_id", Id, ForeignKey("users.id")),
    Column("amount", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Index("ix_ledger_entries_user_account", "user_id", "account"),
)

payouts = Table(
    "payouts", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("user_id", Id, ForeignKey("users.id"), nullable=False, index=True),
    Column("amount", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(16), nullable=False),
    Column("note", String(500), nullable=False, server_default=""),
    Column("transfer_ref", String(120)),
    Column("decided_by", Id, ForeignKey("users.id")),
    _ts("created_at", nullable=False),
    _ts("decided_at"),
    CheckConstraint("amount > 0", name="amount_positive"),
)
