"""Pruning by duality: the edges it drops are in no optimal answer, however the auction went."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from capmatch.matching.core import pruning, solver
from capmatch.matching.core.auction import Auction
from tests.unit.test_auction import canonical, random_instance
from tests.unit.test_solver import assert_feasible, instances, reference_optimum


def components(ln, lo, n, m):
    graph = sparse.coo_array((np.ones(len(ln)), (ln, n + lo)), shape=(n + m,) * 2)
    return connected_components(graph, directed=False)[1][ln]


def prune(inst, rounds_first=None):
    """(canonical edges, survivors mask); rounds_first: bid rounds at a tiny eps before pruning."""
    ln, lo, w, s, c = canonical(*inst)
    auction = Auction(ln, lo, w, s, c)
    if rounds_first is not None:
        auction.rounds(1e-10, max_rounds=rounds_first)
    return (ln, lo, w, s, c), pruning.survivors(auction, components(ln, lo, len(s), len(c)))


def optimum_kept(edges, keep):
    ln, lo, w, s, c = edges
    return reference_optimum(ln[keep], lo[keep], w[keep], s, c)


@settings(max_examples=200, deadline=None)
@given(instances(max_nodes=10, max_edges=50), st.sampled_from([None, 0, 1, 3]))
def test_the_edges_that_survive_still_hold_an_optimal_answer(inst, rounds_first):
    edges, keep = prune(inst, rounds_first)
    if len(edges[0]) == 0:
        return
    assert optimum_kept(edges, keep) == pytest.approx(reference_optimum(*inst), rel=1e-9, abs=1e-12)


def test_on_larger_instances_most_edges_go_and_the_optimum_stays():
    kept = []
    for seed in range(6):
        inst = random_instance(seed, n=300, m=400, e=12_000)
        edges, keep = prune(inst)
        assert optimum_kept(edges, keep) == pytest.approx(reference_optimum(*inst), rel=1e-9)
        kept.append(keep.mean())
    assert np.median(kept) < 0.25, f"near-optimal prices price most edges out; kept {kept}"


def test_an_auction_stopped_early_is_completed_greedily_and_the_bound_still_holds(monkeypatch):
    monkeypatch.setattr(pruning, "MAX_ROUNDS", 2)  # far from finished: the greedy fill completes it
    inst = random_instance(11, n=200, m=250, e=6_000)
    edges, keep = prune(inst, rounds_first=1)
    assert optimum_kept(edges, keep) == pytest.approx(reference_optimum(*inst), rel=1e-9)


def test_equal_offers_in_a_price_war_are_pruned_soundly():
    # Every need values every offer the same: the optimum fills every offer, any way will do.
    n, m = 300, 40
    need, offer = np.repeat(np.arange(n), m), np.tile(np.arange(m), n)
    inst = (need, offer, np.ones(n * m), np.ones(n, dtype=np.int64), np.ones(m, dtype=np.int64))
    edges, keep = prune(inst)
    assert optimum_kept(edges, keep) == pytest.approx(40.0)


def test_an_infeasible_held_set_gives_no_bound_so_every_edge_is_kept(monkeypatch):
    ln, lo, w, s, c = canonical(*random_instance(5))
    auction = Auction(ln, lo, w, s, c)
    monkeypatch.setattr(pruning, "MAX_ROUNDS", 0)
    # Holds every edge (over every limit) and reports the greedy fill done.
    monkeypatch.setattr(pruning, "_fill_greedily", lambda auction: auction.held.fill(True) or True)
    assert pruning.survivors(auction, components(ln, lo, len(s), len(c))).all()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from([-1.0, 0.0, 0.5, 1.0, 2.0]), max_size=8), min_size=1, max_size=8),
       st.data())
def test_kth_largest_matches_sorting(rows, data):
    k = np.array([data.draw(st.integers(0, 4)) for _ in rows])
    ptr = np.concatenate([[0], np.cumsum([len(r) for r in rows])]).astype(np.int64)
    values = np.array([v for r in rows for v in r], dtype=float)
    expected = [max(0.0, sorted(r, reverse=True)[kk]) if len(r) > kk else 0.0 for r, kk in zip(rows, k)]
    assert pruning._kth_largest(ptr, values, k).tolist() == expected


@settings(max_examples=150, deadline=None)
@given(instances())
def test_the_solver_pruning_every_edge_set_stays_exact(monkeypatch_pruning, inst):
    edges = solver.solve_assignment(*inst)
    assert_feasible(edges, *inst)
    assert inst[2][edges].sum() == pytest.approx(reference_optimum(*inst), rel=1e-6, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(instances(), st.randoms(use_true_random=False))
def test_with_pruning_the_same_edges_are_chosen_whatever_the_edge_order(monkeypatch_pruning, inst, rnd):
    need, offer, score, slots, cap = inst
    perm = np.array(rnd.sample(range(len(need)), len(need)), dtype=np.int64)
    first = solver.solve_assignment(need, offer, score, slots, cap)
    second = solver.solve_assignment(need[perm], offer[perm], score[perm], slots, cap)
    as_triples = lambda n, o, s, e: sorted(zip(n[e].tolist(), o[e].tolist(), s[e].tolist()))
    assert as_triples(need, offer, score, first) == as_triples(need[perm], offer[perm], score[perm], second)


@pytest.fixture(scope="module")
def monkeypatch_pruning():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(solver, "PRUNE_EDGES", 0)
        patch.setattr(Auction, "certified_optimum", lambda self, **kw: None)
        yield patch


def test_the_solver_reports_pruning_when_the_auction_cannot_certify(monkeypatch):
    monkeypatch.setattr(solver, "PRUNE_EDGES", 0)
    n, m = 400, 60
    need, offer = np.repeat(np.arange(n), m), np.tile(np.arange(m), n)
    score = np.ones(n * m)
    score[::7] = 1.5  # some pairs are better: not every answer is optimal
    slots, cap = np.ones(n, dtype=np.int64), np.ones(m, dtype=np.int64)
    result = solver.solve_with_stats(need, offer, score, slots, cap)
    assert "pruned=1" in result.method
    assert_feasible(result.edges, need, offer, score, slots, cap)
    assert result.total_score == pytest.approx(reference_optimum(need, offer, score, slots, cap), rel=1e-9)


def test_an_auction_stopped_far_from_the_end_prunes_nothing(monkeypatch):
    monkeypatch.setattr(pruning, "MAX_ROUNDS", 1)
    monkeypatch.setattr(pruning, "MAX_GREEDY_EDGES", 0)
    edges, keep = prune(random_instance(8, n=200, m=250, e=6_000))
    assert keep.all()


def war(n=300, m=40):
    need, offer = np.repeat(np.arange(n), m), np.tile(np.arange(m), n)
    return canonical(need, offer, np.ones(n * m), np.ones(n, dtype=np.int64), np.ones(m, dtype=np.int64))


def test_eps_doubles_when_many_bidders_stall_so_a_mass_price_war_ends():
    assert not Auction(*war()).rounds(1e-4, max_rounds=2_000)
    assert Auction(*war()).rounds(1e-4, max_rounds=2_000, stall_rounds=50)


def test_the_last_few_bidders_bid_with_the_tail_eps_so_their_price_war_ends_sooner():
    # Seed 2: the last few needs with an open slot outbid one another across their offers until
    # those are worth nothing to them, raising one price by about eps a bid.
    inst = canonical(*random_instance(2, n=300, m=400, e=12_000))
    assert not Auction(*inst).rounds(3e-5, max_rounds=5_000)
    assert Auction(*inst).rounds(3e-5, max_rounds=5_000, tail_bidders=20, tail_eps=1e-2)
