"""Screen parts of commerce: buying, listings and orders."""
