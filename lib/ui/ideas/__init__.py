"""Screen parts of ideas: support, conversation, improvements and updates."""
