"""The auction's last slots filled by the primal-dual phases: exact from any state it stops in."""

from __future__ import annotations

import numpy as np
import pytest

from capmatch.matching.core import auction, paths
from capmatch.matching.core.auction import Auction, _certified
from capmatch.matching.core.paths import finish
from tests.unit.test_auction import canonical, random_instance
from tests.unit.test_solver import assert_feasible, reference_optimum


@pytest.mark.parametrize("rounds", [0, 1, 3, 10])
@pytest.mark.parametrize("seed", range(10))
def test_from_an_auction_stopped_after_any_number_of_rounds_the_paths_reach_the_optimum(seed, rounds):
    # Scores in quarters: ties everywhere, the hard case for prices.
    need, offer, score, slots, cap = random_instance(seed, n=30, m=30, e=200)
    score = np.ceil(score * 8) / 4
    ln, lo, w, s, c = canonical(need, offer, score, slots, cap)
    a = Auction(ln, lo, w, s, c)
    a.rounds(1e-10 * a.scale, max_rounds=rounds)
    held, price = finish(ln, lo, w, s, c, a.held, a.taken, a.closed, a.price, a.need_ptr, 2e-10 * a.scale)
    sel = np.flatnonzero(held)
    assert_feasible(sel, ln, lo, w, s, c)
    assert w[sel].sum() == pytest.approx(reference_optimum(ln, lo, w, s, c), rel=1e-12)
    assert _certified(ln, lo, w, s, c, held, price, tolerance=1e-9 * a.scale)


def test_the_auction_hands_its_last_slots_to_the_paths_and_certifies_the_answer(monkeypatch):
    inst = random_instance(2, n=300, m=300, e=3000)
    ln, lo, w, s, c = canonical(*inst)
    sel = auction.solve(ln, lo, w, s, c, max_rounds=2)  # stopped long before the last bid
    assert sel is not None
    assert_feasible(sel, ln, lo, w, s, c)
    assert w[sel].sum() == pytest.approx(reference_optimum(ln, lo, w, s, c), rel=1e-12)


def _from_the_start(ln, lo, w, s, c, rounds=0, **options):
    """finish() from an auction stopped after `rounds` rounds."""
    a = Auction(ln, lo, w, s, c)
    a.rounds(1e-10 * a.scale, max_rounds=rounds)
    return a, finish(ln, lo, w, s, c, a.held, a.taken, a.closed, a.price, a.need_ptr, 2e-10 * a.scale, **options)


@pytest.mark.parametrize("seed", range(8))
def test_searches_that_reach_only_part_of_the_way_still_end_at_the_optimum(monkeypatch, seed):
    # A first reach far below the scores' differences, and working edges picked again and again:
    # phases that find no open slot within reach only lower the potentials, and grow it.
    monkeypatch.setattr(paths, "FIRST_REACH", 1e-7)
    monkeypatch.setattr(paths, "WORKING_MARGIN", 1)
    ln, lo, w, s, c = canonical(*random_instance(seed, n=40, m=40, e=300))
    a, (held, price) = _from_the_start(ln, lo, w, s, c, rounds=seed % 3)
    sel = np.flatnonzero(held)
    assert_feasible(sel, ln, lo, w, s, c)
    assert w[sel].sum() == pytest.approx(reference_optimum(ln, lo, w, s, c), rel=1e-12)
    assert _certified(ln, lo, w, s, c, held, price, tolerance=1e-9 * a.scale)


def test_only_the_components_with_open_slots_are_searched_and_the_rest_keep_their_prices():
    # Three copies of an instance side by side: the auction solves them to the end, then the last
    # copy starts again from nothing. Told the components, finish() leaves the others alone.
    ln1, lo1, w1, s1, c1 = canonical(*random_instance(4, n=30, m=30, e=200))
    n, m = len(s1), len(c1)
    ln, lo = np.concatenate([ln1 + k * n for k in range(3)]), np.concatenate([lo1 + k * m for k in range(3)])
    w, s, c = np.tile(w1, 3), np.tile(s1, 3), np.tile(c1, 3)
    a = Auction(ln, lo, w, s, c)
    a.rounds(1e-10 * a.scale, max_rounds=500)
    assert a.finished
    last = ln >= 2 * n
    a.held[last] = False
    a.taken[2 * n:], a.closed[2 * n:], a.price[2 * m:] = 0, 0, 0.0
    held, price = finish(ln, lo, w, s, c, a.held, a.taken, a.closed, a.price, a.need_ptr, 2e-10 * a.scale,
                         parts=ln // n)
    assert np.array_equal(held[~last], a.held[~last])
    assert np.array_equal(price[:2 * m], a.price[:2 * m])
    sel = np.flatnonzero(held)
    assert w[sel].sum() == pytest.approx(3 * reference_optimum(ln1, lo1, w1, s1, c1), rel=1e-12)
    assert _certified(ln, lo, w, s, c, held, price, tolerance=1e-9 * a.scale)


def test_with_many_slots_open_it_gives_up_unless_each_phase_halves_them():
    # Four needs of one position want the one place there is, all equally: the first phase fills
    # it, the other three are left to stay open in a second phase.
    ln, lo, w = np.arange(4), np.zeros(4, dtype=np.int64), np.ones(4)
    s, c = np.ones(4, dtype=np.int64), np.ones(1, dtype=np.int64)
    assert _from_the_start(ln, lo, w, s, c, many=0)[1] is None
    held, _ = _from_the_start(ln, lo, w, s, c, many=None)[1]
    assert held.sum() == 1
    held, _ = _from_the_start(ln, lo, w, s, c, many=4)[1]  # few enough: it goes on however slowly
    assert held.sum() == 1


def test_ties_by_the_thousand_are_routed_in_a_few_phases(monkeypatch):
    # Scores in fifths, the auction stopped at once: the phases route whole levels of ties at once.
    phases = []
    route = paths._route
    monkeypatch.setattr(paths, "_route", lambda *args: phases.append(1) or route(*args))
    inst = random_instance(5, n=2000, m=3000, e=40_000)
    ln, lo, w, s, c = canonical(inst[0], inst[1], np.ceil(inst[2] * 5) / 5, inst[3], inst[4])
    a, (held, price) = _from_the_start(ln, lo, w, s, c, many=100)
    assert w[held].sum() == pytest.approx(reference_optimum(ln, lo, w, s, c), rel=1e-12)
    assert len(phases) <= 10
