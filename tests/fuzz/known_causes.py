"""The server errors whose fix is landing elsewhere, recognised in a request so the fuzzers can prove the rest.

KNOWN_CAUSES is the one switch: while a class is in it, a 5xx answered to a request that holds that
class of input is counted apart instead of failing the test. Each is removed when the input hardening
lands (issue 11, items 1 and 2: integers outside PostgreSQL's range, NUL bytes in text); then the
fuzzers fail on them like on any other 5xx.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

INT_OUT_OF_RANGE = "integer outside int32"  # ids are int4 columns; page numbers reach OFFSET (int8)
NUL_IN_TEXT = "NUL (U+0000) in text"

KNOWN_CAUSES = frozenset({INT_OUT_OF_RANGE, NUL_IN_TEXT})  # remove each when items 1-2 land

MAX_PAGE = 100_000  # the pages' bound (capmatch.web.deps.PageNumber), which item 1 gives the API too
INT32 = range(-(2**31), 2**31)
DIGITS = re.compile(r"[+-]?\d+")

# What the fuzzers tried and what they found, printed at the end of the run (tests/fuzz/conftest.py).
TALLY: Counter[str] = Counter()


def _scalars(value: object) -> Iterator[object]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _scalars(item)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _scalars(item)
    else:
        yield value


def _out_of_int32(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value not in INT32
    if isinstance(value, float):
        return value.is_integer() and abs(value) >= 2**31
    if isinstance(value, str) and DIGITS.fullmatch(value.strip()):
        text = value.strip()
        digits = text.lstrip("+-").lstrip("0") or "0"
        return len(digits) > 10 or int(text[0] + digits if text[0] in "+-" else digits) not in INT32
    if isinstance(value, bytes):
        return _out_of_int32(value.decode("latin-1"))
    return False


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value or "%00" in value
    if isinstance(value, bytes):
        return b"\x00" in value or b"%00" in value
    return False


def known_causes_in(*parts: object, query: dict | None = None) -> set[str]:
    """Which of the known classes the request's parts (path, query, body, form...) hold."""
    found: set[str] = set()
    page = (query or {}).get("page")
    if isinstance(page, int) and not isinstance(page, bool) and page > MAX_PAGE:
        found.add(INT_OUT_OF_RANGE)  # its OFFSET (page x page_size) leaves int32
    for value in _scalars(list(parts)):
        if _out_of_int32(value):
            found.add(INT_OUT_OF_RANGE)
        if _has_nul(value):
            found.add(NUL_IN_TEXT)
    return found & KNOWN_CAUSES
