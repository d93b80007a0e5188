"""Seed data: the taxonomies, the demo marketplace and synthetic marketplaces for load tests.

The data itself lives in the repository's top-level seed/ folder; these modules only load it.
"""

from pathlib import Path

from capmatch.config import REPO_ROOT

SEED_DIR: Path = REPO_ROOT / "seed"
DEMO_DIR: Path = SEED_DIR / "demo"
