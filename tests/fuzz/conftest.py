"""The fuzzers' tally, printed at the end of the run."""

from __future__ import annotations

from tests.fuzz.tally import TALLY


def pytest_terminal_summary(terminalreporter):
    if TALLY:
        terminalreporter.write_sep("-", "fuzzers: what was tried and found")
        for key in sorted(TALLY):
            terminalreporter.write_line(f"{key}: {TALLY[key]}")
