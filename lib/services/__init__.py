"""Use cases as functions over a unit of work and ports."""
