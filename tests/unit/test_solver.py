"""The exact b-matching solver against hand-made answers and an independent LP reference."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.optimize import linprog

from capmatch.matching.core import solver
from capmatch.matching.core.solver import solve_assignment, solve_with_stats


def reference_optimum(need, offer, score, slots, cap) -> float:
    """Max-weight b-matching value from the LP over the best copy of each pair (the LP is integral)."""
    need, offer, score = map(np.asarray, (need, offer, score))
    if len(need) == 0:
        return 0.0
    key = need * len(cap) + offer
    order = np.lexsort((-score, key))
    first = np.ones(len(order), dtype=bool)
    first[1:] = key[order][1:] != key[order][:-1]
    keep = order[first]
    n_e = len(keep)
    a = sparse.csr_array(
        (np.ones(2 * n_e), (np.concatenate([need[keep], len(slots) + offer[keep]]), np.tile(np.arange(n_e), 2))),
        shape=(len(slots) + len(cap), n_e),
    )
    res = linprog(-np.maximum(score[keep], 0), A_ub=a, b_ub=np.concatenate([slots, cap]), bounds=(0, 1),
                  method="highs")
    return -res.fun


def assert_feasible(edges, need, offer, score, slots, cap):
    need, offer, score = map(np.asarray, (need, offer, score))
    assert edges.dtype == np.int64
    assert np.all(np.diff(edges) > 0), "edges sorted and distinct"
    assert np.all(np.bincount(need[edges], minlength=len(slots)) <= slots)
    assert np.all(np.bincount(offer[edges], minlength=len(cap)) <= cap)
    pairs = need[edges] * len(cap) + offer[edges]
    assert len(np.unique(pairs)) == len(pairs), "a need-offer pair is used at most once"
    assert np.all(score[edges] > 0)


def solve(need, offer, score, slots, cap):
    return solve_assignment(np.array(need, dtype=np.int64), np.array(offer, dtype=np.int64),
                            np.array(score, dtype=float), np.array(slots), np.array(cap))


def test_the_best_assignment_is_chosen_over_the_greedy_one():
    # Greedy takes (0, 0) = 10 and leaves 1 with nothing; the optimum is 9 + 8.
    edges = solve([0, 0, 1], [0, 1, 0], [10, 9, 8], [1, 1], [1, 1])
    assert edges.tolist() == [1, 2]


def test_an_edge_scoring_zero_or_less_is_never_chosen():
    edges = solve([0, 1, 2], [0, 1, 2], [0.0, -1.0, 0.5], [1, 1, 1], [1, 1, 1])
    assert edges.tolist() == [2]


def test_a_need_with_two_slots_takes_a_two_capacity_offer_only_once():
    edges = solve([0], [0], [1.0], [2], [2])
    assert edges.tolist() == [0]


def test_slots_and_capacities_are_respected():
    need = [0, 0, 0, 1, 1, 2]
    offer = [0, 1, 2, 0, 1, 0]
    score = [5, 4, 3, 6, 1, 7]
    edges = solve(need, offer, score, [2, 1, 1], [2, 1, 1])
    assert_feasible(edges, need, offer, np.array(score, float), [2, 1, 1], [2, 1, 1])
    assert np.isclose(np.array(score, float)[edges].sum(), reference_optimum(
        np.array(need), np.array(offer), np.array(score, float), [2, 1, 1], [2, 1, 1]))


def test_of_duplicate_edges_only_the_best_is_kept():
    edges = solve([0, 0, 0], [0, 0, 0], [1.0, 3.0, 2.0], [1], [1])
    assert edges.tolist() == [1]


def test_empty_and_degenerate_inputs_give_no_edges():
    assert solve([], [], [], [], []).tolist() == []
    assert solve([], [], [], [1, 2], [3]).tolist() == []
    assert solve([0, 1], [0, 0], [1.0, 2.0], [0, 0], [1]).tolist() == []
    assert solve([0, 1], [0, 0], [1.0, 2.0], [1, 1], [0]).tolist() == []
    assert solve([0, 1], [0, 0], [-1.0, 0.0], [1, 1], [1]).tolist() == []
    assert solve_assignment([], [], [], [], []).dtype == np.int64


@pytest.mark.parametrize(
    "args, message",
    [
        (([0], [0], [np.nan], [1], [1]), "finite"),
        (([0], [0], [np.inf], [1], [1]), "finite"),
        (([0, 1], [0], [1.0], [2], [1]), "equal lengths"),
        (([2], [0], [1.0], [1], [1]), "need_idx out of range"),
        (([0], [-1], [1.0], [1], [1]), "offer_idx out of range"),
        (([0], [0], [1.0], [-1], [1]), "need_slots must be >= 0"),
        (([0.5], [0], [1.0], [1], [1]), "integers"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(args, message):
    with pytest.raises(ValueError, match=message):
        solve_assignment(*[np.asarray(a) for a in args])


def test_stats_report_the_total_and_the_method():
    result = solve_with_stats(np.array([0, 0, 1]), np.array([0, 1, 0]), np.array([10.0, 9.0, 8.0]),
                              np.array([1, 1]), np.array([1, 1]))
    assert result.total_score == pytest.approx(17.0)
    assert result.seconds >= 0 and result.method and result.components >= 1


@st.composite
def instances(draw, max_nodes=12, max_edges=60):
    n = draw(st.integers(1, max_nodes))
    m = draw(st.integers(1, max_nodes))
    e = draw(st.integers(0, max_edges))
    need = draw(st.lists(st.integers(0, n - 1), min_size=e, max_size=e))
    offer = draw(st.lists(st.integers(0, m - 1), min_size=e, max_size=e))
    # Few distinct values so that ties and duplicates are common.
    score = draw(st.lists(st.sampled_from([-1.0, 0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.25]), min_size=e, max_size=e))
    slots = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    cap = draw(st.lists(st.integers(0, 3), min_size=m, max_size=m))
    return (np.array(need, dtype=np.int64), np.array(offer, dtype=np.int64), np.array(score),
            np.array(slots), np.array(cap))


@settings(max_examples=150, deadline=None)
@given(instances())
def test_the_total_equals_the_lp_optimum_and_the_choice_is_feasible(inst):
    edges = solve_assignment(*inst)
    assert_feasible(edges, *inst)
    assert inst[2][edges].sum() == pytest.approx(reference_optimum(*inst), rel=1e-6, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(instances(), st.randoms(use_true_random=False))
def test_the_same_edges_are_chosen_whatever_the_edge_order(inst, rnd):
    need, offer, score, slots, cap = inst
    perm = np.array(rnd.sample(range(len(need)), len(need)), dtype=np.int64)
    first = solve_assignment(need, offer, score, slots, cap)
    second = solve_assignment(need[perm], offer[perm], score[perm], slots, cap)
    as_triples = lambda n, o, s, e: sorted(zip(n[e].tolist(), o[e].tolist(), s[e].tolist()))
    assert as_triples(need, offer, score, first) == as_triples(need[perm], offer[perm], score[perm], second)


@pytest.mark.parametrize("dense_cells, lp_edges", [(10**9, 10**9), (0, 10**9), (0, 0)])
@pytest.mark.parametrize("seed", range(4))
def test_dense_lp_and_lazy_gadget_paths_agree_with_the_reference(monkeypatch, dense_cells, lp_edges, seed):
    monkeypatch.setattr(solver, "DENSE_CELLS", dense_cells)
    monkeypatch.setattr(solver, "LP_EDGES", lp_edges)
    rng = np.random.default_rng(seed)
    n, m, e = 60, 80, 500
    need, offer = rng.integers(0, n, e), rng.integers(0, m, e)
    score = rng.random(e)
    unit = seed % 2 == 0  # unit capacities: no pair can repeat, the copy graph is exact (LAPJVsp)
    slots = rng.integers(1, 4, n)
    cap = np.ones(m, dtype=np.int64) if unit else rng.integers(1, 3, m)
    result = solve_with_stats(need, offer, score, slots, cap)
    assert_feasible(result.edges, need, offer, score, slots, cap)
    assert result.total_score == pytest.approx(reference_optimum(need, offer, score, slots, cap), rel=1e-9)


def test_many_small_components_are_solved_exactly():
    rng = np.random.default_rng(7)
    blocks = [(rng.integers(0, 4, 10) + 4 * b, rng.integers(0, 4, 10) + 4 * b) for b in range(200)]
    need = np.concatenate([b[0] for b in blocks])
    offer = np.concatenate([b[1] for b in blocks])
    score = rng.random(len(need))
    slots, cap = rng.integers(1, 3, 800), rng.integers(1, 3, 800)
    result = solve_with_stats(need, offer, score, slots, cap)
    assert_feasible(result.edges, need, offer, score, slots, cap)
    assert result.total_score == pytest.approx(reference_optimum(need, offer, score, slots, cap), rel=1e-9)


def test_the_lazy_gadgets_stop_a_pair_repeating_on_the_sparse_path(monkeypatch):
    monkeypatch.setattr(solver, "DENSE_CELLS", 0)
    monkeypatch.setattr(solver, "LP_EDGES", 0)
    # Offer 0 (capacity 2) is the favourite of two-slot needs: the copy graph alone would give
    # both its places to need 0.
    need, offer = np.array([0, 0, 0, 1, 1, 1]), np.array([0, 1, 2, 0, 1, 2])
    score = np.array([5.0, 1.0, 0.6, 4.9, 0.2, 0.1])
    slots, cap = np.array([2, 2]), np.array([2, 1, 1])
    result = solve_with_stats(need, offer, score, slots, cap)
    assert result.method == "lapjvsp_gadgets=1"
    assert_feasible(result.edges, need, offer, score, slots, cap)
    assert result.total_score == pytest.approx(reference_optimum(need, offer, score, slots, cap))
    assert sorted(result.edges.tolist()) == [0, 1, 3, 5]
