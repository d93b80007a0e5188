"""The auction's last open slots filled by shortest augmenting paths (successive shortest paths).

An auction with a tiny eps fills most slots quickly, then slows down: the last few bidders start
long chains of displacements that raise prices by eps at a time. This finishes its work exactly.

The b-matching is a min-cost flow: need i supplies s_i units, each going to an offer (arc i -> j,
capacity 1, cost -w) and on to the sink T (arc j -> T, capacity c_j), or straight to T (arc i -> T,
capacity s_i: the position left open). With potentials pi (pi_i = u_i, pi_j = -p_j, pi_T = 0 from
the auction's prices), every residual arc a -> b has reduced cost r = cost + pi_a - pi_b >= 0 up
to the auction's eps. The slots still bidding are units of supply not yet routed. Each phase runs
one Dijkstra (scipy, on the reversed residual graph from T) for every node's distance d to T,
lowers the potentials by min(d, D) (D: the farthest open slot), which keeps every reduced cost >= 0
and makes every arc of the shortest-path tree cost 0, and then sends one unit from each open slot
along its tree path when the arcs on it still have room. The flow stays optimal for what it
carries; when nothing is left to route it is optimal, and the caller certifies it again.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import dijkstra

MAX_PHASES = 60


def finish(ln, lo, w, s, c, held, taken, closed, price, need_ptr, slack, max_phases: int = MAX_PHASES):
    """(held, price) with every slot filled or left open optimally, or None after max_phases phases.

    ln, lo, w: edges sorted by (need, offer); held, taken, closed, price: the auction's state;
    slack: how far below its best alternative a held edge may be worth (the auction's eps: the
    answer is then optimal within that much per edge, and the caller's certificate decides).
    """
    n, m = len(s), len(c)
    x = held.copy()
    flow = _Flow(n, m, s, c, np.bincount(lo[x], minlength=m), closed)
    value = w - price[lo]
    pi = np.zeros(n + m + 1)  # needs, offers, T
    pi[n:n + m] = -price
    pi[:n] = np.maximum(_best_unheld(need_ptr, value, x, n), 0.0)
    excess = (s - taken - closed).astype(np.int64)
    # A need still bidding may hold an edge worth less to it than one it does not hold: no
    # potential makes both optimal, so the held one is given up. Its unit goes back to the need's
    # excess, and its offer, still sending it on to T, is left a unit short (a deficit).
    worse = np.flatnonzero(x & (value < pi[ln] - slack))
    x[worse] = False
    np.add.at(excess, ln[worse], 1)
    flow.deficit = np.bincount(lo[worse], minlength=m).astype(np.int64)
    flow.sink_short = int(excess.sum() - flow.deficit.sum())  # units T still lacks
    key = ln * np.int64(m) + lo
    for _ in range(max_phases):
        starts = np.flatnonzero(excess > 0)
        if len(starts) == 0:
            p = np.maximum(pi[n + m] - pi[n:n + m], 0.0)
            p[flow.filled < c] = 0.0
            return x, p
        d, toward = _distances(ln, lo, w, x, flow, pi)
        if not np.isfinite(d[starts]).all():
            return None  # not expected: every open slot can at least stay open
        pi -= np.minimum(d[:-1], d[starts].max())
        for v in starts[np.argsort(d[starts], kind="stable")].tolist():
            if _augment(v, toward, x, flow, key):
                excess[v] -= 1
    return None


class _Flow:
    """Flow on the arcs other than the edges: need -> T (open positions), offer -> T (places
    used), and what is still short: an offer's deficit, T's own."""

    def __init__(self, n, m, s, c, filled, closed):
        self.n, self.m, self.s, self.c = n, m, s, c
        self.opened = closed.astype(np.int64).copy()
        self.filled = filled.astype(np.int64)
        self.deficit = np.zeros(m, dtype=np.int64)
        self.sink_short = 0


def _best_unheld(need_ptr, value, held, n):
    out = np.full(n, -np.inf)
    counts = np.diff(need_ptr)
    has = counts > 0
    out[has] = np.maximum.reduceat(np.where(held, -np.inf, value), need_ptr[:-1][has])
    return out


def _distances(ln, lo, w, x, flow, pi):
    """(distance of every node to Z, the next node on its shortest path to Z). Z is a node added
    for the search: the offers with a deficit and T, while T lacks units, reach it at no cost."""
    n, m = flow.n, flow.m
    sink, target = n + m, n + m + 1
    into_t_n = np.flatnonzero(flow.opened < flow.s)
    out_t_n = np.flatnonzero(flow.opened > 0)
    into_t_o = np.flatnonzero(flow.filled < flow.c)
    out_t_o = np.flatnonzero(flow.filled > 0)
    short = np.flatnonzero(flow.deficit > 0)
    tails = np.concatenate([ln[~x], n + lo[x], into_t_n, n + into_t_o, np.full(len(out_t_n) + len(out_t_o), sink)])
    heads = np.concatenate([n + lo[~x], ln[x], np.full(len(into_t_n) + len(into_t_o), sink), out_t_n, n + out_t_o])
    cost = np.concatenate([-w[~x], w[x], np.zeros(len(into_t_n) + len(into_t_o) + len(out_t_n) + len(out_t_o))])
    reduced = np.maximum(cost + pi[tails] - pi[heads], 0.0)  # errors of the auction's eps, no more
    ends = n + short if flow.sink_short == 0 else np.concatenate([n + short, [sink]])
    tails = np.concatenate([tails, ends])
    heads = np.concatenate([heads, np.full(len(ends), target)])
    reduced = np.concatenate([reduced, np.zeros(len(ends))])
    # Reversed arcs (head -> tail): Dijkstra from Z gives every node's distance to Z, and the
    # predecessor of a node there is the next node on its way.
    graph = sparse.csr_array((reduced, (heads, tails)), shape=(target + 1, target + 1))
    return dijkstra(graph, indices=target, return_predecessors=True)


def _augment(v, toward, x, flow, key) -> bool:
    """Send one unit from need v along its tree path to Z, if every arc on it still has room."""
    n, m = flow.n, flow.m
    sink, target = n + m, n + m + 1
    path = [v]
    while path[-1] != target:
        nxt = int(toward[path[-1]])
        if nxt < 0:
            return False
        path.append(nxt)
    moves = []
    for a, b in zip(path[:-1], path[1:]):
        if b == target:
            ok = flow.sink_short > 0 if a == sink else flow.deficit[a - n] > 0
        elif b == sink:
            ok = flow.opened[a] < flow.s[a] if a < n else flow.filled[a - n] < flow.c[a - n]
        elif a == sink:
            ok = flow.opened[b] > 0 if b < n else flow.filled[b - n] > 0
        else:
            i, j = (a, b - n) if a < n else (b, a - n)
            e = int(np.searchsorted(key, i * np.int64(m) + j))
            ok = bool(x[e]) == (a >= n)  # forward arcs need an unheld edge, backward arcs a held one
            a, b = "edge", e
        if not ok:
            return False
        moves.append((a, b))
    for a, b in moves:
        if a == "edge":
            x[b] = not x[b]
        elif b == target:
            if a == sink:
                flow.sink_short -= 1
            else:
                flow.deficit[a - n] -= 1
        elif b == sink:
            if a < n:
                flow.opened[a] += 1
            else:
                flow.filled[a - n] += 1
        elif b < n:
            flow.opened[b] -= 1
        else:
            flow.filled[b - n] -= 1
    return True
