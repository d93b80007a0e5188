"""Side constraints: the MILP against brute force, the Lagrangian against the MILP."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capmatch.matching.core.constraints import (
    EdgeAttributes, SideConstraints, edge_attributes, solve_constrained, solve_side_constrained,
)
from capmatch.matching.core.problem import build_candidates
from capmatch.matching.core.scoring import score_candidates
from matching_builders import TODAY, random_problem

ALL = SideConstraints(min_south_south_share=0.5, max_provider_share=0.5, max_country_share=0.6, min_women_share=0.4,
                      budget_usd=12.0)


def tiny(seed: int, n_edges: int = 9):
    rng = np.random.default_rng(seed)
    need, offer = rng.integers(0, 4, n_edges), rng.integers(0, 4, n_edges)
    key = np.unique(need * 4 + offer)
    need, offer = key // 4, key % 4
    e = len(key)
    attrs = EdgeAttributes(south=rng.random(e) < 0.5, org=rng.integers(0, 3, e), country=rng.integers(-1, 3, e),
                           woman=rng.random(e) < 0.5, cost=rng.choice([0.0, 2.0, 5.0], e))
    return need, offer, rng.random(e) + 0.1, rng.integers(1, 3, 4), rng.integers(1, 3, 4), attrs


def feasible(x, need, offer, slots, cap, attrs, cons) -> bool:
    chosen = np.flatnonzero(x)
    f = len(chosen)
    if np.any(np.bincount(need[chosen], minlength=len(slots)) > slots):
        return False
    if np.any(np.bincount(offer[chosen], minlength=len(cap)) > cap):
        return False
    ok = True
    if cons.min_south_south_share is not None:
        ok &= attrs.south[chosen].sum() >= cons.min_south_south_share * f - 1e-9
    if cons.min_women_share is not None:
        ok &= attrs.woman[chosen].sum() >= cons.min_women_share * f - 1e-9
    for share, group in ((cons.max_provider_share, attrs.org), (cons.max_country_share, attrs.country)):
        if share is not None:
            g = group[chosen]
            ok &= all((g == k).sum() <= share * f + 1e-9 for k in set(g.tolist()) if k >= 0)
    if cons.budget_usd is not None:
        ok &= attrs.cost[chosen].sum() <= cons.budget_usd + 1e-9
    return bool(ok)


def brute_force(need, offer, score, slots, cap, attrs, cons) -> float:
    best = 0.0
    for bits in itertools.product((0, 1), repeat=len(need)):
        x = np.array(bits, dtype=bool)
        if feasible(x, need, offer, slots, cap, attrs, cons):
            best = max(best, float(score[x].sum()))
    return best


CONSTRAINT_SETS = [
    SideConstraints(min_south_south_share=0.6),
    SideConstraints(max_provider_share=0.4),
    SideConstraints(max_country_share=0.5),
    SideConstraints(min_women_share=0.7),
    SideConstraints(budget_usd=6.0),
    ALL,
]


@pytest.mark.parametrize("cons", CONSTRAINT_SETS)
@pytest.mark.parametrize("seed", range(5))
def test_the_milp_finds_the_best_selection_that_meets_the_constraint(cons, seed):
    need, offer, score, slots, cap, attrs = tiny(seed)
    result = solve_side_constrained(need, offer, score, slots, cap, attrs, cons, method="milp")
    x = np.zeros(len(need), dtype=bool)
    x[result.edges] = True
    assert feasible(x, need, offer, slots, cap, attrs, cons)
    assert result.method == "milp" and result.status == "optimal" and result.gap == 0.0
    assert result.total_score == pytest.approx(brute_force(need, offer, score, slots, cap, attrs, cons), abs=1e-9)


@pytest.mark.parametrize("cons", CONSTRAINT_SETS)
@pytest.mark.parametrize("seed", range(3))
def test_the_lagrangian_gives_a_feasible_selection_with_an_honest_gap(cons, seed):
    need, offer, score, slots, cap, attrs = tiny(seed + 10, n_edges=12)
    exact = solve_side_constrained(need, offer, score, slots, cap, attrs, cons, method="milp").total_score
    result = solve_side_constrained(need, offer, score, slots, cap, attrs, cons, method="lagrangian")
    x = np.zeros(len(need), dtype=bool)
    x[result.edges] = True
    assert feasible(x, need, offer, slots, cap, attrs, cons)
    assert result.method == "lagrangian" and result.gap is not None and result.gap >= 0
    assert result.total_score <= exact + 1e-9
    assert result.bound >= exact - 1e-6, "the dual bound never falls below the optimum"
    assert result.total_score >= result.bound * (1 - result.gap) - 1e-6


def test_without_constraints_it_is_the_plain_assignment():
    need, offer, score, slots, cap, attrs = tiny(1)
    result = solve_side_constrained(need, offer, score, slots, cap, attrs, None)
    assert result.method == "assignment" and result.gap == 0.0 and result.status == "optimal"


def test_a_share_outside_zero_to_one_is_refused():
    need, offer, score, slots, cap, attrs = tiny(1)
    with pytest.raises(ValueError, match="share"):
        solve_side_constrained(need, offer, score, slots, cap, attrs, SideConstraints(min_south_south_share=1.5))


def test_a_constraint_nobody_can_meet_is_reported():
    need, offer, score, slots, cap, attrs = tiny(2)
    no_women = EdgeAttributes(attrs.south, attrs.org, attrs.country, np.zeros(len(need), bool), attrs.cost)
    result = solve_side_constrained(need, offer, score, slots, cap, no_women, SideConstraints(min_women_share=0.3))
    assert result.edges.tolist() == [] and result.infeasible == ("min_women_share",)


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**31))
def test_a_run_policy_given_as_a_dict_is_applied_to_candidates(seed):
    needs, offers = random_problem(seed, 8, 15)
    cands = build_candidates(needs, offers, today=TODAY)
    scores = score_candidates(needs, offers, cands)
    policy = {"min_south_south_share": 0.5, "budget_usd": None, "time_limit_seconds": 10}
    result = solve_constrained(needs, offers, cands, scores, policy)
    attrs = edge_attributes(needs, offers, cands)
    x = np.zeros(len(cands), dtype=bool)
    x[result.edges] = True
    assert feasible(x, cands.need, cands.offer, needs.slots, offers.capacity, attrs, SideConstraints(min_south_south_share=0.5))


def test_an_unknown_constraint_is_refused_not_ignored():
    needs, offers = random_problem(1, 3, 3)
    cands = build_candidates(needs, offers, today=TODAY)
    with pytest.raises(ValueError, match="unknown side constraint 'max_share'"):
        solve_constrained(needs, offers, cands, score_candidates(needs, offers, cands), {"max_share": 0.2})


@pytest.mark.parametrize("share, feasible", [(0.2, False), (0.25, True), (0.5, True)])
def test_a_provider_cap_too_low_for_the_providers_there_are_admits_only_nothing(share, feasible):
    # Four providers: with at most a fifth of the positions each, any F > 0 positions need five.
    need, offer, score, slots, cap, attrs = tiny(3, n_edges=12)
    org = np.arange(len(need)) % 4
    four = EdgeAttributes(attrs.south, org, attrs.country, attrs.woman, attrs.cost)
    result = solve_side_constrained(need, offer, score, slots, cap, four, SideConstraints(max_provider_share=share))
    if feasible:
        assert "max_provider_share" not in result.infeasible
    else:
        assert result.edges.tolist() == [] and result.infeasible == ("max_provider_share",)
        assert result.gap == 0.0 and result.status == "optimal"


def test_a_country_cap_is_never_infeasible_while_some_positions_have_no_known_country():
    need, offer, score, slots, cap, attrs = tiny(3, n_edges=12)
    country = np.where(np.arange(len(need)) % 3 == 0, -1, 7)  # one known country, the rest unknown
    one = EdgeAttributes(attrs.south, attrs.org, country, attrs.woman, attrs.cost)
    result = solve_side_constrained(need, offer, score, slots, cap, one, SideConstraints(max_country_share=0.1))
    assert "max_country_share" not in result.infeasible
