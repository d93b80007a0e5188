"""What the fuzzers tried and what they found, printed at the end of the run (tests/fuzz/conftest.py)."""

from __future__ import annotations

from collections import Counter

TALLY: Counter[str] = Counter()
