"""The payments context: the gateway port, saved cards, idempotency keys and webhooks."""
