"""Lagrangian relaxation of the side constraints (DESIGN 4.3), for graphs too large for the MILP.

The side constraints move into the edge weights with multipliers; each step solves the assignment
exactly (an upper bound on the optimum), a repair step drops edges until every constraint holds (a
feasible solution), and the multipliers follow a Polyak subgradient step.
"""

from __future__ import annotations

import time

import numpy as np

from capmatch.matching.core.side_rows import EdgeAttributes, SideConstraints, evaluate, side_rows
from capmatch.matching.core.solver import solve_assignment

TOL = 1e-9


def lagrangian(need, offer, w, slots, cap, attrs: EdgeAttributes, cons: SideConstraints, iterations: int,
               time_limit: float, started: float) -> tuple[np.ndarray, float, str, float, float]:
    """The best repaired selection found, its gap to the best bound, its status, that bound, and the
    unconstrained optimum (the first step's assignment: every multiplier starts at zero)."""
    n_edges = len(w)
    rows, consts, _ = side_rows(attrs, cons, n_edges)
    n_rows = sum(len(b) for b in consts)
    lam = np.zeros(n_rows)
    best_edges, best_value, best_bound = np.zeros(0, np.int64), 0.0, np.inf
    theta, stall, unconstrained = 1.0, 0, None
    for _ in range(iterations):
        adjusted = w + _lambda_weights(rows, lam, n_edges)
        edges = solve_assignment(need, offer, adjusted, slots, cap)
        if unconstrained is None:
            unconstrained = float(w[edges].sum())
        x = np.zeros(n_edges)
        x[edges] = 1.0
        h = evaluate(rows, consts, x)
        bound = float(adjusted[edges].sum() - _lambda_weights_const(rows, consts, lam))
        if bound < best_bound - TOL:
            best_bound, stall = bound, 0
        else:
            stall += 1
            if stall >= 5:
                theta, stall = theta / 2, 0
        repaired = repair(edges, w, attrs, cons)
        value = float(w[repaired].sum())
        if value > best_value:
            best_edges, best_value = repaired, value
        if best_bound - best_value <= 1e-9 * max(1.0, abs(best_bound)):
            break
        norm = float(h @ h)
        if norm <= 0 or time.perf_counter() - started > time_limit:
            break
        lam = np.maximum(0.0, lam - theta * (bound - best_value) / norm * h)
    gap = max(0.0, (best_bound - best_value) / max(abs(best_bound), TOL))
    if unconstrained is None:  # no step ran (iterations=0)
        unconstrained = float(w[solve_assignment(need, offer, w, slots, cap)].sum())
    return best_edges, gap, "optimal" if gap <= 1e-9 else "feasible", best_bound, unconstrained


def _lambda_weights(rows, lam, n_edges) -> np.ndarray:
    """sum_k lam_k * a_ke: what the relaxed side constraints add to each edge's weight."""
    out, k = np.zeros(n_edges), 0
    for row in rows:
        if isinstance(row, tuple):
            _, share, member = row
            part = lam[k:k + member.shape[0]]
            out += share * part.sum() - member.T @ part
            k += member.shape[0]
        else:
            out += lam[k] * row.toarray().ravel()
            k += 1
    return out


def _lambda_weights_const(rows, consts, lam) -> float:
    return -float(lam @ np.concatenate(consts)) if len(lam) else 0.0


def repair(edges, w, attrs: EdgeAttributes, cons: SideConstraints) -> np.ndarray:
    """A feasible subset of `edges`, dropping low-score edges where each constraint needs it, until
    all hold together (every step only removes edges, so this ends)."""
    chosen = np.array(edges, dtype=np.int64)
    for _ in range(50):
        before = len(chosen)
        for name, group in (("max_provider_share", attrs.org), ("max_country_share", attrs.country)):
            share = getattr(cons, name)
            if share is not None and len(chosen):
                cap = int(np.floor(share * len(chosen) + 1e-9))
                order = chosen[np.lexsort((-w[chosen], group[chosen]))]
                g = group[order]
                rank = np.arange(len(g)) - np.searchsorted(g, g)
                chosen = np.sort(order[(rank < cap) | (g < 0)])
        for name, good in (("min_south_south_share", attrs.south), ("min_women_share", attrs.woman)):
            share = getattr(cons, name)
            if share and len(chosen):
                allowed = int(np.floor(good[chosen].sum() / share + 1e-9))
                if allowed < len(chosen):
                    bad = chosen[~good[chosen]]
                    drop = bad[np.argsort(w[bad], kind="stable")[: len(chosen) - allowed]]
                    chosen = np.setdiff1d(chosen, drop)
        if cons.budget_usd is not None and attrs.cost[chosen].sum() > cons.budget_usd:
            order = chosen[np.argsort(-attrs.cost[chosen] / np.maximum(w[chosen], TOL), kind="stable")]
            excess = attrs.cost[chosen].sum() - cons.budget_usd
            k = int(np.searchsorted(np.cumsum(attrs.cost[order]), excess - 1e-9)) + 1
            chosen = np.setdiff1d(chosen, order[:k])
        if len(chosen) == before:
            break
    return chosen
