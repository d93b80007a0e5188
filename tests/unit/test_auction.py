"""The auction path of the solver: what it returns is feasible and optimal, or it returns nothing."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capmatch.matching.core import auction, solver
from tests.unit.test_solver import assert_feasible, instances, reference_optimum


def canonical(need, offer, score, slots, cap):
    """The solver's canonical form (useful edges, one per pair, sorted by need and offer)."""
    idx = solver._canonical(need, offer, score.astype(float), slots, cap)
    return need[idx], offer[idx], score[idx].astype(float), np.asarray(slots), np.asarray(cap)


def random_instance(seed, n=40, m=50, e=400, slots_hi=4, cap_hi=3):
    rng = np.random.default_rng(seed)
    need, offer = rng.integers(0, n, e), rng.integers(0, m, e)
    return need, offer, rng.random(e), rng.integers(1, slots_hi, n), rng.integers(1, cap_hi, m)


@pytest.mark.parametrize("seed", range(12))
def test_on_distinct_scores_the_auction_certifies_the_optimum(seed):
    inst = random_instance(seed)
    ln, lo, w, s, c = canonical(*inst)
    chosen = auction.solve(ln, lo, w, s, c)
    assert chosen is not None, "random scores have no ties: the auction finishes and certifies"
    assert w[chosen].sum() == pytest.approx(reference_optimum(*inst), rel=1e-9)
    assert np.all(np.bincount(ln[chosen], minlength=len(s)) <= s)
    assert np.all(np.bincount(lo[chosen], minlength=len(c)) <= c)


@settings(max_examples=200, deadline=None)
@given(instances(max_nodes=10, max_edges=50))
def test_whatever_the_auction_returns_is_optimal(inst):
    ln, lo, w, s, c = canonical(*inst)
    if len(w) == 0:
        return
    chosen = auction.solve(ln, lo, w, s, c)
    if chosen is None:  # gave up (ties): the solver goes on another way
        return
    assert len(np.unique(chosen)) == len(chosen)
    assert np.all(np.bincount(ln[chosen], minlength=len(s)) <= s)
    assert np.all(np.bincount(lo[chosen], minlength=len(c)) <= c)
    assert w[chosen].sum() == pytest.approx(reference_optimum(*inst), rel=1e-9, abs=1e-12)


@settings(max_examples=150, deadline=None)
@given(instances())
def test_the_solver_with_the_auction_on_every_component_stays_exact(monkeypatch_session, inst):
    edges = solver.solve_assignment(*inst)
    assert_feasible(edges, *inst)
    assert inst[2][edges].sum() == pytest.approx(reference_optimum(*inst), rel=1e-6, abs=1e-9)


@pytest.fixture(scope="module")
def monkeypatch_session():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(solver, "AUCTION_EDGES", 0)
        yield patch


def test_the_certificate_refuses_an_answer_that_is_not_optimal():
    # Need 0 (one slot) holds offer 1 (worth 1) while offer 0 (worth 2) has room.
    ln, lo, w = np.array([0, 0]), np.array([0, 1]), np.array([2.0, 1.0])
    s, c = np.array([1]), np.array([1, 1])
    prices = np.zeros(2)
    assert not auction._certified(ln, lo, w, s, c, np.array([False, True]), prices, tolerance=1e-12)
    assert auction._certified(ln, lo, w, s, c, np.array([True, False]), prices, tolerance=1e-12)
    # An open slot while an edge worth something is free is not optimal either.
    assert not auction._certified(ln, lo, w, s, c, np.array([False, False]), prices, tolerance=1e-12)
    # A full offer may carry a price; one with room may not.
    assert not auction._certified(ln, lo, w, s, c, np.array([True, False]), np.array([0.0, 0.5]),
                                  tolerance=1e-12)


def test_when_places_are_scarce_the_offers_bid_so_equal_offers_start_no_price_war():
    # Many needs want the same few offers, all worth exactly the same. Needs bidding would raise
    # a price by eps a round; the scarcer side (the offers) bids instead and fills every place.
    n, m = 400, 60
    need = np.repeat(np.arange(n), m)
    offer = np.tile(np.arange(m), n)
    score = np.ones(n * m)
    slots, cap = np.ones(n, dtype=np.int64), np.ones(m, dtype=np.int64)
    ln, lo, w, s, c = canonical(need, offer, score, slots, cap)
    sel = auction.solve(ln, lo, w, s, c)
    assert sel is not None
    assert_feasible(sel, ln, lo, w, s, c)
    assert w[sel].sum() == pytest.approx(60.0)


def test_an_auction_that_gives_up_makes_the_solver_fall_back(monkeypatch):
    monkeypatch.setattr(auction, "FINISH_UNITS", 0)
    inst = random_instance(5, n=200, m=300, e=3000)
    ln, lo, w, s, c = canonical(*inst)
    assert auction.solve(ln, lo, w, s, c, max_rounds=0) is None
    monkeypatch.setattr(solver, "AUCTION_EDGES", 0)
    monkeypatch.setattr(solver, "solve_by_auction", lambda *args: None)
    result = solver.solve_with_stats(*inst)
    assert "auction" not in result.method
    assert result.total_score == pytest.approx(reference_optimum(*inst), rel=1e-9)


def test_the_solver_reports_the_auction_when_it_is_used(monkeypatch):
    monkeypatch.setattr(solver, "AUCTION_EDGES", 0)
    monkeypatch.setattr(solver, "DENSE_CELLS", 0)
    inst = random_instance(3, n=200, m=300, e=3000)
    result = solver.solve_with_stats(*inst)
    assert "auction=" in result.method
    assert_feasible(result.edges, *inst)
    assert result.total_score == pytest.approx(reference_optimum(*inst), rel=1e-9)


@pytest.mark.parametrize("seed", range(6))
def test_bidders_with_many_free_slots_rank_their_choices_as_the_scan_does(monkeypatch, seed):
    # Offers of large capacity bid for needs: their choices are partitioned one bidder at a time.
    # Values in quarters, so ties at the cut are common: the earlier position wins, as in the scan.
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, 60, 25)
    starts = np.cumsum(lengths) - lengths
    group = np.repeat(np.arange(25), lengths)
    value = np.ceil(rng.random(lengths.sum()) * 4) / 4
    value[rng.random(len(value)) < 0.2] = -np.inf  # edges already held
    free = rng.integers(0, 30, 25)
    partitioned = auction._best_values(value.copy(), group, starts, lengths, free)
    monkeypatch.setattr(auction, "SORTED_BIDDERS", 0)
    scanned = auction._best_values(value.copy(), group, starts, lengths, free)
    used = np.arange(partitioned[0].shape[0])[:, None] <= free[None, :]  # a bidder's free+1 best
    assert np.array_equal(partitioned[0][used], scanned[0][used])
    found = used & (partitioned[0] > -np.inf)
    assert np.array_equal(partitioned[1][found], scanned[1][found])


def test_a_few_offers_of_large_capacity_wanted_by_many_needs_certify_the_optimum():
    rng = np.random.default_rng(3)
    n, m = 3000, 20
    need = np.repeat(np.arange(n), 5)
    offer = np.concatenate([rng.choice(m, 5, replace=False) for _ in range(n)])
    score = np.round(rng.random(len(need)), 3)
    slots, cap = np.ones(n, dtype=np.int64), rng.integers(20, 90, m)
    ln, lo, w, s, c = canonical(need, offer, score, slots, cap)
    chosen = auction.solve(ln, lo, w, s, c)
    assert chosen is not None
    assert_feasible(chosen, ln, lo, w, s, c)
    assert w[chosen].sum() == pytest.approx(reference_optimum(ln, lo, w, s, c), rel=1e-12)
