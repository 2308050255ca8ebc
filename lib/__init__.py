"""Cocreate: a consumer-to-producer co-creation marketplace."""
