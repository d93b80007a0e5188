"""A proposal's score as people read it: how well the pair matches, 0 to 100, from its components
and the policy's weights (the run's, or the default policy's where no run says).

The solver's own score multiplies this by the need's urgency (an urgent need counts more in a
run's total), so two proposals with the same match can rank apart; pages say so in the legend.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from capmatch.matching.core.policy import COMPONENTS, DEFAULT_WEIGHTS

NEUTRAL = 0.5  # a component the proposal did not keep (gender balance without a target) scores this


def _weights(weights: Mapping[str, Any] | None) -> dict[str, float]:
    merged = dict(DEFAULT_WEIGHTS)
    for name, value in (weights or {}).items():
        if name in merged and isinstance(value, int | float):
            merged[name] = float(value)
    return merged


def match_percent(breakdown: Mapping[str, Any] | None, weights: Mapping[str, Any] | None = None) -> int | None:
    """The weighted mean of the components on a 0 to 100 scale; None without a breakdown."""
    if not breakdown:
        return None
    w = _weights(weights)
    total = sum(w.values())
    if total <= 0:
        return None
    mix = sum(w[name] * float(breakdown.get(name, NEUTRAL)) for name in COMPONENTS) / total
    return max(0, min(100, round(mix * 100)))


def weight_legend(weights: Mapping[str, Any] | None = None) -> list[tuple[str, int]]:
    """Each component with its share of the weights in percent, in the order compact bars show them."""
    w = _weights(weights)
    total = sum(w.values()) or 1.0
    return [(name, round(100 * w[name] / total)) for name in COMPONENTS]


def in_order(breakdown: Mapping[str, Any]) -> tuple[tuple[str, float | None], ...]:
    """The components in the legend's order, None where the proposal kept none."""
    return tuple((name, breakdown.get(name)) for name in COMPONENTS)
