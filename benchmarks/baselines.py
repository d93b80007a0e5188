"""The baselines the exact solver is measured against (benchmarks only)."""

from __future__ import annotations

import numpy as np


def greedy(need, offer, score, slots, capacity) -> np.ndarray:
    """Highest score first, while the need has slots and the offer capacity."""
    slots_left = np.asarray(slots, dtype=np.int64).copy()
    cap_left = np.asarray(capacity, dtype=np.int64).copy()
    order = np.lexsort((offer, need, -np.asarray(score)))
    chosen = []
    for e in order.tolist():
        if score[e] <= 0:
            break
        i, j = need[e], offer[e]
        if slots_left[i] > 0 and cap_left[j] > 0:
            slots_left[i] -= 1
            cap_left[j] -= 1
            chosen.append(e)
    return np.sort(np.array(chosen, dtype=np.int64))


def first_come_first_served(need, offer, slots, capacity) -> np.ndarray:
    """The listing board: needs in posting order, each taking the first listed offers that qualify.

    Positions in the arrays follow ids, i.e. posting order, for needs and offers alike.
    """
    slots_left = np.asarray(slots, dtype=np.int64).copy()
    cap_left = np.asarray(capacity, dtype=np.int64).copy()
    order = np.lexsort((offer, need))
    chosen = []
    for e in order.tolist():
        i, j = need[e], offer[e]
        if slots_left[i] > 0 and cap_left[j] > 0:
            slots_left[i] -= 1
            cap_left[j] -= 1
            chosen.append(e)
    return np.sort(np.array(chosen, dtype=np.int64))
