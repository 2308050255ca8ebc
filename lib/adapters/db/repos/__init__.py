"""SQL repositories, one module per repository, each belonging to one context."""
