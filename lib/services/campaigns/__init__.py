"""The campaigns context: makers and quotes, opening a campaign, pre-orders and settlement."""
