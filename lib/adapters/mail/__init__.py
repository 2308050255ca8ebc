"""E-mail delivery over SMTP."""
