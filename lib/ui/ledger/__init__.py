"""Screen parts of the ledger: fee settings."""
