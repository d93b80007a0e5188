"""A list's order as a `sort` parameter: one of a list's fixed keys, ascending, or descending with a leading "-".

The same spelling as a run's proposals (`score`, `-score`). The API refuses any other value (422 naming
`sort`); a page ignores it and shows its usual order, as it ignores an unknown filter value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Sort:
    key: str
    descending: bool = False

    @property
    def value(self) -> str:
        return f"-{self.key}" if self.descending else self.key


def sort_values(keys: Iterable[str]) -> tuple[str, ...]:
    """Every value a `sort` parameter may take for these keys."""
    return tuple(value for key in keys for value in (key, f"-{key}"))


def parse_sort(value: str | None, keys: Iterable[str]) -> Sort | None:
    """The order a `sort` value names, or None when it names none of these keys."""
    if not value:
        return None
    key = value.removeprefix("-")
    return Sort(key, value.startswith("-")) if key in keys else None
