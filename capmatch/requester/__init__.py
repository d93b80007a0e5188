"""A requesting organization's pages."""
