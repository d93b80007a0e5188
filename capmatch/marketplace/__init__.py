"""Public marketplace pages."""
