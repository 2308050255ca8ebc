"""The ideas context: authoring, support, co-creation, moderation and the lifecycle."""
