"""CapMatch: a marketplace matching civilian expertise with the missions that need it."""

__version__ = "0.1.0"
