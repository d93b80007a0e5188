"""The matching engine's pure core: arrays and frozen dataclasses in, arrays and frozen dataclasses out.

It imports only the standard library, numpy, scipy and capmatch.enums (an import-linter contract in
pyproject.toml holds it): no database, web or configuration code, so it is tested exactly, alone.
"""
