"""A match run's policy: the weights of the score's components and the side constraints.

Declared once, here: the names (the API's, the form's and the stored run's), the defaults (the
seed's default policy has the same weights: a test holds the two together) and the ranges. The
API's schema and the officer's form validate into a RunPolicy, the run stores `as_dict()`, and the
job reads it back with `from_dict()`; an unknown weight or constraint is refused the same way
everywhere, by PolicyError naming it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

COMPONENTS = (
    "skills", "language", "experience", "south_south", "regional", "speed", "cost", "appraisal",
    "capacity_transfer", "gender_balance",
)
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "skills": 3.0, "language": 2.0, "experience": 1.5, "south_south": 3.0, "regional": 1.0, "speed": 1.5,
    "cost": 0.5, "appraisal": 1.0, "capacity_transfer": 1.0, "gender_balance": 1.0,
}
MAX_WEIGHT = 100.0


@dataclass(frozen=True)
class Bound:
    low: float
    low_inclusive: bool
    high: float | None  # inclusive; None: no upper bound

    def holds(self, value: float) -> bool:
        above = value >= self.low if self.low_inclusive else value > self.low
        return above and (self.high is None or value <= self.high)


# The side constraints, in the order the form shows them, and the range each must be in.
CONSTRAINTS: Mapping[str, Bound] = {
    "min_south_south_share": Bound(0.0, True, 1.0),  # of the positions filled
    "max_provider_share": Bound(0.0, False, 1.0),  # of the positions filled, per provider
    "max_country_share": Bound(0.0, False, 1.0),  # of the positions filled, per origin country
    "min_women_share": Bound(0.0, True, 1.0),  # of the individual experts placed
    "budget_usd": Bound(0.0, True, None),  # monthly cost times duration, over every placement
    "time_limit_seconds": Bound(0.0, False, 600.0),  # the solver's, when constraints make it search
}


def N_(message: str) -> str:
    """Marks a message for the catalogs (extracted as N_); the core imports no translation machinery:
    the matching layer translates `PolicyError.template` and fills in its values."""
    return message


class PolicyError(ValueError):
    """A policy value refused: `field` names it as the API does ("weights.cost", "constraints.x")."""

    def __init__(self, field: str, message: str, **values: str) -> None:
        self.field, self.template, self.values = field, message, values
        self.message = message.format(**values)  # in English
        super().__init__(f"{field}: {self.message}")


@dataclass(frozen=True)
class RunPolicy:
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    constraints: Mapping[str, float] = field(default_factory=dict)  # only the constraints that apply

    @classmethod
    def build(cls, weights: Mapping[str, Any] | None = None, constraints: Mapping[str, Any] | None = None,
              *, base: RunPolicy | None = None) -> RunPolicy:
        """`base` (the defaults when None) changed by the given values; a None value keeps the base's."""
        base = base or cls()
        merged_weights = dict(base.weights)
        for name, value in (weights or {}).items():
            if name not in COMPONENTS:
                raise PolicyError(f"weights.{name}", N_("There is no score component called {name}."), name=repr(name))
            if value is not None:
                merged_weights[name] = _number(f"weights.{name}", value, Bound(0.0, True, MAX_WEIGHT))
        if not any(v > 0 for v in merged_weights.values()):
            raise PolicyError("weights", N_("At least one weight must be above zero."))
        merged_constraints = dict(base.constraints)
        for name, value in (constraints or {}).items():
            if name not in CONSTRAINTS:
                raise PolicyError(f"constraints.{name}", N_("There is no side constraint called {name}."),
                                  name=repr(name))
            if value is not None:
                merged_constraints[name] = _number(f"constraints.{name}", value, CONSTRAINTS[name])
        return cls(merged_weights, merged_constraints)

    @classmethod
    def from_dict(cls, stored: Mapping[str, Any]) -> RunPolicy:
        """A policy as a run stored it (or as the seed declares one): {"weights": ..., "constraints": ...}."""
        return cls.build(stored.get("weights"), stored.get("constraints"))

    def as_dict(self) -> dict[str, dict[str, float]]:
        return {"weights": dict(self.weights), "constraints": dict(self.constraints)}

    def weight(self, name: str) -> float:
        return float(self.weights.get(name, 0.0))

    @property
    def time_limit(self) -> float | None:
        return self.constraints.get("time_limit_seconds")

    @property
    def side_constraints(self) -> dict[str, float]:
        """The constraints on the selection itself (all but the solver's time limit)."""
        return {k: v for k, v in self.constraints.items() if k != "time_limit_seconds"}


def _number(field_name: str, value: Any, bound: Bound) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise PolicyError(field_name, N_("Enter a number."))
    if not bound.holds(float(value)):
        raise PolicyError(field_name, N_("The value is out of range."))
    return float(value)
