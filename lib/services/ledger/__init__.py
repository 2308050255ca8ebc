"""The ledger context: double-entry bookkeeping, payouts and referrals."""
