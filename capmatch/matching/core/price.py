"""The price of a policy's side constraints: the total score with them and without them (DESIGN 5).

A run with side constraints is solved a second time without any (the exact assignment, unless the
Lagrangian relaxation that large runs use found it as its first step), and, when there are at most
EACH_MAX constraints and the constrained solve itself was quick, once more per constraint without
that one constraint. A single constraint's "without it" is the unconstrained solve. The figures and the
time they cost are in benchmarks/solver_notes.md.

Dropping a constraint can only widen the choice, so the selection that met every constraint also
meets the others: a total "without" below the run's own (a heuristic stopped early) is raised to
it, and what a constraint costs is never below zero.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from capmatch.matching.core.constraints import ConstrainedResult, solve_constrained
from capmatch.matching.core.problem import Candidates, NeedArrays, OfferArrays

TIME_LIMIT = "time_limit_seconds"
EACH_MAX = 3  # constraints priced one by one at most
EACH_AFTER_SECONDS = 10.0  # the one-by-one solves run only when the constrained solve took no longer


@dataclass(frozen=True)
class ConstraintPrice:
    name: str
    value: float
    binding: bool  # the run's selection sits exactly at the constraint's limit
    total_without: float | None  # None: not measured (see PolicyPrice.skipped)


@dataclass(frozen=True)
class PolicyPrice:
    total: float  # the run's, every constraint met
    unconstrained_total: float
    constraints: tuple[ConstraintPrice, ...]
    skipped: str | None  # why constraints were not priced one by one: "too_many" or "too_slow"
    exact: bool  # every total proven optimal (else a heuristic's: the run's gap says how close)
    seconds: float

    def as_dict(self) -> dict:
        return {
            "total": self.total, "unconstrained_total": self.unconstrained_total,
            "constraints": [{"name": c.name, "value": c.value, "binding": c.binding, "total_without": c.total_without}
                            for c in self.constraints],
            "skipped": self.skipped, "exact": self.exact, "seconds": round(self.seconds, 4),
        }


def price_policy(needs: NeedArrays, offers: OfferArrays, candidates: Candidates, scores, constraints: dict,
                 result: ConstrainedResult) -> PolicyPrice | None:
    """What each side constraint of `constraints` (the policy's) cost the run whose solve gave `result`;
    None when the policy has no side constraint."""
    started = time.perf_counter()
    side = {k: float(v) for k, v in constraints.items() if k != TIME_LIMIT and v is not None}
    if not side:
        return None
    # A solve with fewer constraints is given no longer than the run's own took (within the policy's limit).
    own = max(1.0, result.seconds)
    limit = {TIME_LIMIT: min(float(constraints[TIME_LIMIT]), own) if constraints.get(TIME_LIMIT) else own}

    proven = [result.gap == 0.0]

    def total_under(kept: dict) -> float:
        solved = solve_constrained(needs, offers, candidates, scores, {**kept, **limit})
        proven.append(solved.gap == 0.0)
        return max(solved.total_score, result.total_score)

    # The Lagrangian relaxation's first step is the unconstrained assignment: no need to solve it twice.
    unconstrained = (max(result.unconstrained_total, result.total_score) if result.unconstrained_total is not None
                     else total_under({}))
    skipped = None
    if len(side) == 1:
        without = {name: unconstrained for name in side}
    elif len(side) > EACH_MAX:
        without, skipped = {}, "too_many"
    elif result.seconds > EACH_AFTER_SECONDS:
        without, skipped = {}, "too_slow"
    else:
        without = {name: total_under({k: v for k, v in side.items() if k != name}) for name in side}
    priced = tuple(ConstraintPrice(name, value, name in result.binding, without.get(name))
                   for name, value in side.items())
    return PolicyPrice(result.total_score, unconstrained, priced, skipped, all(proven),
                       time.perf_counter() - started)
