"""Policy side constraints on top of the assignment (DESIGN 4.3).

Constraints (each optional), over the set of chosen edges ("filled positions"), F = their number:
- min_south_south_share: South-South positions >= share * F;
- max_provider_share / max_country_share: positions from any one provider organization / origin
  country <= share * F;
- min_women_share: positions filled by women >= share * F;
- budget_usd: sum of monthly_cost * duration_months of chosen edges <= budget (unknown cost counts 0).
Choosing nothing satisfies all of them, so the problem is always feasible; a constraint that no
non-empty selection can meet is reported in `infeasible`.

Methods: none active -> the exact assignment solver. Otherwise `scipy.optimize.milp` (HiGHS) with
a time limit, gap from HiGHS's dual bound; above `MILP_MAX_EDGES` (or if HiGHS finds nothing in
time) Lagrangian relaxation: the side constraints move into the edge weights with multipliers,
each step solves the assignment exactly (an upper bound on the optimum), a repair step drops
edges until every constraint holds (a feasible solution), multipliers follow a Polyak
subgradient step; the reported gap is (best bound - best feasible) / best bound.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, fields, replace

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from capmatch.matching.core.codes import GENDER
from capmatch.matching.core.lagrangian import lagrangian
from capmatch.matching.core.problem import Candidates, NeedArrays, OfferArrays
from capmatch.matching.core.side_rows import EdgeAttributes, SideConstraints, evaluate, side_rows
from capmatch.matching.core.solver import solve_assignment

MILP_MAX_EDGES = 200_000
TOL = 1e-9


@dataclass(frozen=True)
class ConstrainedResult:
    edges: np.ndarray
    total_score: float
    method: str  # "assignment" (also: no selection but the empty one meets the constraints), "milp", "lagrangian"
    gap: float | None  # 0.0 proven optimal; relative gap to the best bound; None unknown
    status: str  # "optimal", "time_limit", "feasible" (Lagrangian: gap bounded, not closed)
    bound: float | None  # best proven upper bound on the total score
    infeasible: tuple[str, ...]  # constraints no non-empty selection can meet
    binding: tuple[str, ...]  # constraints tight at the chosen solution
    seconds: float
    # The best total with no side constraint, when the method found it on the way (else None).
    unconstrained_total: float | None = None


def edge_attributes(needs: NeedArrays, offers: OfferArrays, candidates: Candidates) -> EdgeAttributes:
    i, j = candidates.need, candidates.offer
    origin = np.where(offers.nationality >= 0, offers.nationality, offers.provider_country)[j]
    cost = offers.monthly_cost[j].astype(np.float64) * needs.duration_days[i] / 30.0
    return EdgeAttributes(
        south=needs.requester_south[i] & offers.provider_south[j],
        org=offers.provider_org[j].astype(np.int64),
        country=origin.astype(np.int64),
        woman=offers.gender[j] == GENDER["female"],
        cost=np.nan_to_num(cost, nan=0.0),
    )


def solve_constrained(needs: NeedArrays, offers: OfferArrays, candidates: Candidates, scores,
                      constraints: SideConstraints | dict | None = None, *, time_limit: float = 60.0,
                      method: str = "auto", iterations: int = 60) -> ConstrainedResult:
    """The run's solve step: candidate pairs scored by `scores.total`, under the policy's constraints:
    a SideConstraints, or a dict of the policy's constraints (constraints_from_dict)."""
    if isinstance(constraints, dict):
        constraints, limit = constraints_from_dict(constraints)
        time_limit = limit if limit is not None else time_limit
    return solve_side_constrained(
        candidates.need, candidates.offer, scores.total, needs.slots, offers.capacity,
        edge_attributes(needs, offers, candidates), constraints,
        time_limit=time_limit, method=method, iterations=iterations,
    )


def constraints_from_dict(values: dict) -> tuple[SideConstraints, float | None]:
    """A policy's constraints by their names (capmatch.matching.core.policy.CONSTRAINTS), None values skipped;
    "time_limit_seconds" is the solver's, returned apart; any other name is refused rather than ignored."""
    known = {f.name for f in fields(SideConstraints)}
    out, limit = {}, None
    for key, value in values.items():
        if value is None:
            continue
        if key == "time_limit_seconds":
            limit = float(value)
        elif key in known:
            out[key] = float(value)
        else:
            raise ValueError(f"unknown side constraint {key!r}")
    return SideConstraints(**out), limit


def solve_side_constrained(need_idx, offer_idx, score, need_slots, offer_capacity,
                           attrs: EdgeAttributes | None = None, constraints: SideConstraints | None = None, *,
                           time_limit: float = 60.0, method: str = "auto", iterations: int = 60) -> ConstrainedResult:
    """Array-level form: edges as in solver.solve_assignment, plus per-edge attributes."""
    started = time.perf_counter()
    need, offer = np.asarray(need_idx, dtype=np.int64), np.asarray(offer_idx, dtype=np.int64)
    w = np.asarray(score, dtype=np.float64)
    cons = constraints or SideConstraints()
    if not cons.active() or method == "assignment":
        edges = solve_assignment(need, offer, w, need_slots, offer_capacity)
        result = _result(edges, w, "assignment", 0.0, "optimal", None, attrs, cons, started)
        return replace(result, unconstrained_total=result.total_score) if not cons.active() else result
    if attrs is None:
        raise ValueError("side constraints need edge attributes")
    _check_shares(cons)
    w = np.where(w > 0, w, 0.0)  # an edge scoring <= 0 is never chosen
    if method == "auto" and _infeasible(attrs, cons):  # only the empty selection meets them
        return _result(np.zeros(0, np.int64), w, "assignment", 0.0, "optimal", 0.0, attrs, cons, started)
    if method == "milp" or (method == "auto" and len(w) <= MILP_MAX_EDGES):
        out = _milp(need, offer, w, need_slots, offer_capacity, attrs, cons, time_limit, started)
        if out is not None or method == "milp":
            return out or _result(np.zeros(0, np.int64), w, "milp", None, "time_limit", None, attrs, cons, started)
    edges, gap, status, bound, free = lagrangian(need, offer, w, need_slots, offer_capacity, attrs, cons, iterations,
                                                time_limit, started)
    return replace(_result(edges, w, "lagrangian", gap, status, bound, attrs, cons, started), unconstrained_total=free)


def _check_shares(cons: SideConstraints) -> None:
    for name in ("min_south_south_share", "max_provider_share", "max_country_share", "min_women_share"):
        value = getattr(cons, name)
        if value is not None and not 0.0 <= value <= 1.0:
            raise ValueError(f"{name} must be a share between 0 and 1, got {value}")
    if cons.budget_usd is not None and cons.budget_usd < 0:
        raise ValueError("budget must be >= 0")


def _milp(need, offer, w, slots, cap, attrs, cons, time_limit, started):
    n_edges, n, m = len(w), len(slots), len(cap)
    cols = np.arange(n_edges)
    incidence = sparse.csr_array((np.ones(2 * n_edges), (np.concatenate([need, n + offer]), np.concatenate([cols, cols]))),
                                 shape=(n + m, n_edges))
    blocks = [LinearConstraint(incidence, -np.inf, np.concatenate([slots, cap]).astype(float))]
    rows, consts, _ = side_rows(attrs, cons, n_edges)
    for row, b in zip(rows, consts):
        if isinstance(row, tuple):
            _, share, member = row
            # member @ x - share * sum(x) <= 0: dense in share, so add one variable F = sum(x).
            a = sparse.hstack([member, sparse.csr_array(np.full((member.shape[0], 1), -share))])
            blocks.append(("F", a, -np.inf, np.zeros(member.shape[0])))
        else:
            blocks.append(LinearConstraint(row, -b, np.inf))
    # Variables: x (binary) then F (continuous) = sum(x).
    def widen(c):
        if isinstance(c, tuple):
            return LinearConstraint(c[1], c[2], c[3])
        return LinearConstraint(sparse.hstack([sparse.csr_array(c.A), sparse.csr_array((c.A.shape[0], 1))]), c.lb, c.ub)
    link = LinearConstraint(sparse.csr_array(np.concatenate([np.ones(n_edges), [-1.0]]).reshape(1, -1)), 0.0, 0.0)
    res = milp(
        np.concatenate([-w, [0.0]]),
        constraints=[widen(c) for c in blocks] + [link],
        integrality=np.concatenate([np.ones(n_edges), [0]]),
        bounds=Bounds(np.zeros(n_edges + 1), np.concatenate([np.ones(n_edges), [np.inf]])),
        options={"time_limit": max(1.0, time_limit - (time.perf_counter() - started)), "mip_rel_gap": 1e-7},
    )
    if res.x is None:
        return None
    edges = np.flatnonzero(res.x[:n_edges] > 0.5)
    bound = -float(res.mip_dual_bound) if getattr(res, "mip_dual_bound", None) is not None else None
    total = float(w[edges].sum())
    if res.status == 0:
        gap, status = 0.0, "optimal"
    else:
        gap = None if bound is None else max(0.0, (bound - total) / max(abs(bound), TOL))
        status = "time_limit"
    return _result(edges, w, "milp", gap, status, bound, attrs, cons, started)


def _result(edges, w, method, gap, status, bound, attrs, cons, started) -> ConstrainedResult:
    edges = np.sort(np.asarray(edges, dtype=np.int64))
    infeasible, binding = (), ()
    if attrs is not None and cons.active():
        infeasible = _infeasible(attrs, cons)
        x = np.zeros(len(w))
        x[edges] = 1.0
        rows, consts, names = side_rows(attrs, cons, len(w))
        h = evaluate(rows, consts, x)
        flat = [name for group in names for name in group]
        binding = tuple(sorted({flat[k] for k in np.flatnonzero(h <= 1e-7)})) if len(edges) else ()
    return ConstrainedResult(edges, float(w[edges].sum()), method, gap, status, bound, infeasible, binding,
                             time.perf_counter() - started)


def _infeasible(attrs: EdgeAttributes, cons: SideConstraints) -> tuple[str, ...]:
    out = []
    if cons.min_south_south_share and not attrs.south.any():
        out.append("min_south_south_share")
    if cons.min_women_share and not attrs.woman.any():
        out.append("min_women_share")
    # With G providers (countries) among the candidates and a cap of share * F positions each, F
    # positions need G * share * F >= F: below one, only the empty selection meets it (a position
    # whose country is unknown counts for none).
    for name, group in (("max_provider_share", attrs.org), ("max_country_share", attrs.country)):
        share = getattr(cons, name)
        if share is not None and not (group < 0).any() and np.count_nonzero(np.bincount(group)) * share < 1:
            out.append(name)
    if cons.budget_usd is not None and len(attrs.cost) and attrs.cost.min() > cons.budget_usd:
        out.append("budget_usd")
    return tuple(out)
