"""Plain domain model: entities, value objects, rules and named errors (stdlib only)."""
