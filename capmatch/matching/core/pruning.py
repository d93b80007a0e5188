"""Edges that no optimal answer uses, proved by linear programming duality (reduced-cost fixing).

The b-matching LP: maximise sum w_e x_e with need i used at most s_i times, offer j at most c_j
times and 0 <= x_e <= 1. Any u >= 0 (one per need) and p >= 0 (one per offer) bound it from above:

    D = sum_i s_i u_i + sum_j c_j p_j + sum_e (w_e - u_i - p_j)^+

and for every feasible x, sum_e w_e x_e = D - (nonnegative slack terms) - sum_e x_e r_e, with the
reduced cost r_e = (u_i + p_j - w_e)^+. So if some feasible answer scores P, an edge with
r_e > D - P is in no answer scoring P or more: no optimal answer uses it, and dropping it leaves
the optimum unchanged. The LP separates over connected components, so each component is held to
its own gap D_k - P_k, which is far smaller than the whole graph's.

The bound is only as good as P and (u, p). Both come cheaply from an auction with a coarse eps
(capmatch.matching.core.auction.Auction): its prices are close to optimal duals and its answer close
to the optimum. Price wars are cut short (Auction.rounds: the last few bidders bid with a larger
eps, and eps doubles while many needs bid without any dropping out); should the rounds or the bid
budget still run out, open slots are filled greedily, or nothing is pruned when too many are open.
Then u is set to its best value given p, p given u, and u again, each in closed form: the
(k+1)-th largest value among a node's edges.

Nothing here relies on the auction being right: any feasible held set and any nonnegative prices
give a valid bound, and a poor one only keeps more edges. On the synthetic marketplace graph
(3.1 million edges, 6 large components) this keeps about 3% of the edges in about 1.2 s, and the
exact methods finish the rest in about 0.7 s.
"""

from __future__ import annotations

import numpy as np

from capmatch.matching.core.auction import Auction, within_limits
from capmatch.matching.core.csr import gather_rows

EPS = 3e-5  # the auction's eps, relative to the scores' scale
TAIL_BIDDERS, TAIL_EPS = 20, 3e-4  # once this few needs still bid, they bid with this eps
MAX_ROUNDS = 20_000
MAX_BIDS_PER_NEED, MIN_MAX_BIDS = 50, 1_000_000  # the synthetic marketplace takes 9 bids a need
STALL_ROUNDS = 100  # while many needs bid, eps doubles when none has dropped out for this many rounds
MAX_GREEDY_EDGES = 200_000
SWEEPS = 1  # a second sweep gains little on the marketplace graph and costs 0.15 s


def survivors(auction: Auction, component) -> np.ndarray:
    """Mask of the edges (of the auction's graph) that an optimal answer may use.

    The auction may be fresh or stopped early; it goes on with a coarse eps. component: the
    connected component of each edge.
    """
    ln, lo, w, s, c = auction.ln, auction.lo, auction.w, auction.s, auction.c
    scale = auction.scale
    finished = auction.rounds(EPS * scale, max_rounds=MAX_ROUNDS, tail_bidders=TAIL_BIDDERS,
                              tail_eps=TAIL_EPS * scale, stall_rounds=STALL_ROUNDS,
                              max_bids=max(MAX_BIDS_PER_NEED * len(s), MIN_MAX_BIDS))
    if not finished and not _fill_greedily(auction):
        return np.ones(len(w), dtype=bool)
    held = auction.held
    if not within_limits(ln, lo, held, s, c):
        return np.ones(len(w), dtype=bool)  # not a feasible answer, so no bound: keep everything
    u, p = _duals(auction)
    n_comp = int(component.max(initial=-1)) + 1
    need_comp = np.zeros(len(s), dtype=np.int64)
    need_comp[ln] = component
    offer_comp = np.zeros(len(c), dtype=np.int64)
    offer_comp[lo] = component
    bound = (np.bincount(need_comp, weights=s * u, minlength=n_comp)
             + np.bincount(offer_comp, weights=c * p, minlength=n_comp)
             + np.bincount(component, weights=np.maximum(w - u[ln] - p[lo], 0.0), minlength=n_comp))
    score = np.bincount(component, weights=np.where(held, w, 0.0), minlength=n_comp)
    # The sums carry rounding errors far below 1e-9 of the scale; the margin keeps every edge
    # those errors could misjudge.
    gap = bound - score + 1e-9 * scale
    return u[ln] + p[lo] - w <= gap[component]


def _fill_greedily(auction: Auction) -> bool:
    """Fill the auction's open slots with the best remaining edges, in score order, where capacity
    is left.

    False, leaving the held edges alone, when there are too many of those edges to go through one by
    one: an auction stopped that far from the end gives too loose a bound to prune much anyway."""
    ln, lo, w, s, c, held = auction.ln, auction.lo, auction.w, auction.s, auction.c, auction.held
    taken = np.bincount(ln[held], minlength=len(s))
    filled = np.bincount(lo[held], minlength=len(c))
    open_needs = np.flatnonzero(taken < s)
    _, pos = gather_rows(auction.need_ptr, open_needs)
    pos = pos[~held[pos] & (filled[lo[pos]] < c[lo[pos]])]
    if len(pos) > MAX_GREEDY_EDGES:
        return False
    for e in pos[np.argsort(-w[pos], kind="stable")].tolist():
        i, j = ln[e], lo[e]
        if taken[i] < s[i] and filled[j] < c[j]:
            held[e] = True
            taken[i] += 1
            filled[j] += 1
    return True


def _duals(auction: Auction):
    """(u, p): block coordinate descent on the bound D, from the auction's prices."""
    ln, lo, w, s, c = auction.ln, auction.lo, auction.w, auction.s, auction.c
    by_offer = auction.by_offer

    def bound(u, p):
        return float(s @ u + c @ p + np.maximum(w - u[ln] - p[lo], 0.0).sum())

    p = auction.price
    u = _kth_largest(auction.need_ptr, w - p[lo], s)
    best = bound(u, p)
    for _ in range(SWEEPS):
        p_next = _kth_largest(auction.offer_ptr, (w - u[ln])[by_offer], c)
        u_next = _kth_largest(auction.need_ptr, w - p_next[lo], s)
        value = bound(u_next, p_next)
        if value >= best - 1e-9 * auction.scale:
            break
        u, p, best = u_next, p_next, value
    return u, p


def _kth_largest(ptr, values, k) -> np.ndarray:
    """For each row of the CSR layout (ptr, values): its (k+1)-th largest value, or 0 when it has no
    more than k values or that value is negative. This is the best dual for the row given the other
    side's duals: a node with k units serves its k best edges and prices the rest out."""
    n = len(ptr) - 1
    out = np.zeros(n)
    rows = np.flatnonzero(np.diff(ptr) > k)
    if len(rows) == 0:
        return out
    owner, pos = gather_rows(ptr, rows)
    v = values[pos].astype(np.float64, copy=True)
    need, lengths = np.asarray(k)[rows], np.diff(ptr)[rows]
    rank = 0
    while len(rows):
        starts = np.cumsum(lengths) - lengths
        top = np.maximum.reduceat(v, starts)
        done = need == rank
        out[rows[done]] = np.maximum(top[done], 0.0)
        hit = np.flatnonzero(v == top[owner])
        first = np.ones(len(hit), dtype=bool)
        first[1:] = owner[hit[1:]] != owner[hit[:-1]]
        v[hit[first]] = -np.inf  # one copy of each row's largest value
        if done.any():
            left = ~done
            v = v[left[owner]]
            rows, need, lengths = rows[left], need[left], lengths[left]
            owner = np.repeat(np.arange(len(rows)), lengths)
        rank += 1
    return out
