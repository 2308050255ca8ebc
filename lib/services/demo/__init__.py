"""The demo marketplace seeded on first start in demo mode."""
