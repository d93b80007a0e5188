"""Vectorised helpers over CSR fields (indptr, values...), the layout of every list in the problem's arrays."""

from __future__ import annotations

import numpy as np


def row_ids(indptr: np.ndarray) -> np.ndarray:
    """Row index of every value of a CSR field."""
    indptr = np.asarray(indptr, dtype=np.int64)
    return np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))


def gather_rows(indptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(owner, value position) for every value of the given rows: owner indexes `rows`."""
    indptr = np.asarray(indptr, dtype=np.int64)
    start = indptr[rows]
    length = indptr[rows + 1] - start
    owner = np.repeat(np.arange(len(rows)), length)
    offset = np.arange(len(owner)) - np.repeat(np.cumsum(length) - length, length)
    return owner, start[owner] + offset


def member_keys(indptr, values, width: int) -> np.ndarray:
    """Sorted unique row * width + value keys, for vectorised membership tests."""
    return np.unique(row_ids(indptr) * np.int64(width) + np.asarray(values, dtype=np.int64))


def is_member(keys: np.ndarray, query: np.ndarray) -> np.ndarray:
    if len(keys) == 0:
        return np.zeros(len(query), dtype=bool)
    pos = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
    return keys[pos] == query


def largest(a) -> int:
    a = np.asarray(a)
    return int(a.max()) if a.size else 0


def offsets(rows: np.ndarray, n_rows: int) -> np.ndarray:
    """indptr of sorted row ids."""
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
    return indptr
