"""The commerce context: orders and fulfilment, the shop, checkout, reviews and refunds."""
