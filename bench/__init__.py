"""Benchmarks: `python -m bench <name>`; each prints one JSON line per measurement."""
