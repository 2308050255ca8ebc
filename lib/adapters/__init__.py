"""What touches the outside world: the database, payment providers, storage and mail."""
