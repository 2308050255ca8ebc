"""The messaging context: the in-app inbox and e-mail through the outbox."""
