"""Image storage and the upload pipeline."""
