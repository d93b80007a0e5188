"""The auction's last slots filled by shortest augmenting paths: exact from any state it stops in."""

from __future__ import annotations

import numpy as np
import pytest

from capmatch.matching.core import auction
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
