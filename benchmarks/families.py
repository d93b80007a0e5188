"""Shapes of marketplace for the family benchmark, each about 1,000,000 edges drawn from a seed.

Every generator returns the candidate graph bench_solver reads (need, offer, score, slots,
capacity), with distinct (need, offer) pairs. Scores are drawn on a grid of 1e-6 so that the
integer costs OR-Tools and LEMON work on are the same problem, and "same optimum" is an exact
comparison of integers.
"""

from __future__ import annotations

import numpy as np

SCALE = 1e6


def _pairs(rng, n_needs, n_offers, n_edges):
    """About n_edges distinct (need, offer) pairs drawn uniformly."""
    key = np.unique(rng.integers(0, n_needs, n_edges).astype(np.int64) * n_offers
                    + rng.integers(0, n_offers, n_edges))
    return key // n_offers, key % n_offers


def _graph(need, offer, score, slots, capacity) -> dict:
    return {"need": need.astype(np.int64), "offer": offer.astype(np.int64),
            "score": np.round(np.asarray(score) * SCALE) / SCALE,
            "slots": np.asarray(slots, dtype=np.int32), "capacity": np.asarray(capacity, dtype=np.int32)}


def teams(seed=0, n_edges=1_000_000):
    """Teams and institutions: needs with up to 8 positions, offers with capacities up to 12, so a
    pair could be used twice in the copy graph."""
    rng = np.random.default_rng(seed)
    n, m = 25_000, 25_000
    need, offer = _pairs(rng, n, m, n_edges)
    return _graph(need, offer, rng.random(len(need)), rng.integers(1, 9, n), rng.integers(1, 13, m))


def ties(seed=0, n_edges=1_000_000):
    """Coarse scores with many exact ties: every score is a fifth (0.2 to 1.0)."""
    rng = np.random.default_rng(seed)
    n, m = 20_000, 30_000
    need, offer = _pairs(rng, n, m, n_edges)
    return _graph(need, offer, rng.integers(1, 6, len(need)) / 5, rng.integers(1, 4, n), rng.integers(1, 3, m))


def clustered(seed=0, n_blocks=150, density=0.7):
    """Clustered scarce markets: needs and offers in blocks of area and region, edges only inside a
    block, an offer's shared quality dominating its scores so that a block's needs compete for the
    same offers, and fewer places than positions."""
    rng = np.random.default_rng(seed)
    block_needs = rng.integers(60, 181, n_blocks)
    block_offers = rng.integers(40, 121, n_blocks)
    need_start = np.concatenate([[0], np.cumsum(block_needs)])
    offer_start = np.concatenate([[0], np.cumsum(block_offers)])
    parts_n, parts_o = [], []
    for b in range(n_blocks):
        i, j = np.nonzero(rng.random((block_needs[b], block_offers[b])) < density)
        parts_n.append(need_start[b] + i)
        parts_o.append(offer_start[b] + j)
    need, offer = np.concatenate(parts_n), np.concatenate(parts_o)
    quality = rng.integers(0, 101, offer_start[-1]) / 100  # coarse: offers of equal quality are common
    score = 0.8 * quality[offer] + 0.2 * rng.random(len(need))
    return _graph(need, offer, score, rng.integers(1, 4, need_start[-1]), rng.integers(1, 3, offer_start[-1]))


def hubs(seed=0, n_edges=1_000_000):
    """A few hundred offers of large capacity wanted by tens of thousands of single-position needs."""
    rng = np.random.default_rng(seed)
    n, m = 40_000, 300
    per_need = n_edges // n
    popularity = rng.zipf(1.5, m).astype(np.float64)
    popularity = np.minimum(popularity, 50) / np.minimum(popularity, 50).sum()
    # Each need wants per_need distinct hubs, the popular ones more often (Gumbel top-k).
    keys = np.log(popularity)[None, :] + rng.gumbel(size=(n, m))
    offer = np.argpartition(-keys, per_need, axis=1)[:, :per_need]
    offer = np.sort(offer, axis=1).ravel()
    need = np.repeat(np.arange(n), per_need)
    quality = rng.random(m)
    score = 0.5 * quality[offer] + 0.5 * rng.random(len(need))
    return _graph(need, offer, score, np.ones(n), rng.integers(20, 121, m))


def uniform(seed=0, n_edges=1_000_000):
    """Uniform random: 60,000 needs and 60,000 offers, a sparse graph with uniform scores."""
    rng = np.random.default_rng(seed)
    n, m = 60_000, 60_000
    need, offer = _pairs(rng, n, m, n_edges)
    return _graph(need, offer, rng.random(len(need)), rng.integers(1, 4, n), rng.integers(1, 4, m))


FAMILIES = {"teams": teams, "ties": ties, "clustered": clustered, "hubs": hubs, "uniform": uniform}
