"""The auction's last open slots filled by the primal-dual method of min-cost flow.

An auction with a tiny eps fills most slots quickly, then slows down: the last few bidders start
long chains of displacements that raise prices by eps at a time, and needs torn between offers of
exactly equal value start price wars. This finishes its work exactly.

The b-matching is a min-cost flow: need i supplies s_i units, each going to an offer (arc i -> j,
capacity 1, cost -w) and on to the sink T (arc j -> T, capacity c_j), or straight to T (arc i -> T,
capacity s_i: the position left open). With potentials pi (pi_i = u_i, pi_j = -p_j, pi_T = 0 from
the auction's prices), every residual arc a -> b has reduced cost r = cost + pi_a - pi_b >= 0 up
to the auction's eps. The slots still bidding are units of supply not yet routed. Each phase runs
one Dijkstra (scipy, on the reversed residual graph from T) for every node's distance d to T, up
to a reach, and lowers the potentials by min(d, D) (D: the farthest open slot, or the reach when
some lie beyond it). That keeps every reduced cost >= 0 and makes the shortest path of every open
slot within reach cost 0; one maximum flow (scipy's Dinic) over the arcs of reduced cost 0 then
sends as many units as those paths can carry at once, ties included. The flow stays optimal for
what it carries; when nothing is left to route it is optimal, and the caller certifies it again.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import dijkstra, maximum_flow

from capmatch.matching.core.csr import offsets

MAX_PHASES = 200
FIRST_REACH = 0.05  # of the scores' scale: the first phase's search, grown fourfold when short
WORKING_MARGIN = 4  # the working edges' margin, in searches' reaches


def finish(ln, lo, w, s, c, held, taken, closed, price, need_ptr, slack, max_phases: int = MAX_PHASES,
           many: int | None = None, parts=None):
    """(held, price) with every slot filled or left open optimally, or None after max_phases phases.

    ln, lo, w: edges sorted by (need, offer); held, taken, closed, price: the auction's state;
    slack: how far below its best alternative a held edge may be worth (the auction's eps: the
    answer is then optimal within that much per edge, and the caller's certificate decides).
    many: while more slots than this are open, give up (None) unless each phase has halved them
    on average. parts: each edge's connected component, when there may be several: only those
    that hold an open slot are searched, the others are optimal already and keep their prices.
    """
    part = None
    if parts is not None and len(parts):
        open_needs = np.flatnonzero(s - taken - closed > 0)  # each has edges: else its slots are closed
        wanted = np.zeros(int(parts.max()) + 1, dtype=bool)
        wanted[parts[need_ptr[open_needs]]] = True
        inside = wanted[parts]
        if 2 * np.count_nonzero(inside) < len(parts):  # else the whole is about as quick
            part = np.flatnonzero(inside)
    if part is None:
        return _finish(ln, lo, w, s, c, held, taken, closed, price, need_ptr, slack, max_phases, many)
    (needs, sub_n), (offers, sub_o) = _renumbered(ln[part], len(s)), _renumbered(lo[part], len(c))
    done = _finish(sub_n, sub_o, w[part], s[needs], c[offers], held[part], taken[needs], closed[needs],
                   price[offers], offsets(sub_n, len(needs)), slack, max_phases, many)
    if done is None:
        return None
    x, p = held.copy(), price.copy()
    x[part], p[offers] = done
    return x, p


def _renumbered(ids, n):
    """(the distinct ids in order, each id's rank among them)."""
    present = np.zeros(n, dtype=bool)
    present[ids] = True
    return np.flatnonzero(present), (np.cumsum(present) - 1)[ids]


def _finish(ln, lo, w, s, c, held, taken, closed, price, need_ptr, slack, max_phases, many):
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
    short = np.flatnonzero(flow.deficit > 0)
    tolerance = slack / 100  # rounding of the potentials' sums, far below the certificate's
    reach = FIRST_REACH * max(1.0, float(np.abs(w).max(initial=0.0)))
    # The edges a phase looks at: those whose reduced cost was at most `margin` when they were
    # picked. A phase lowers a reduced cost by its distance D at most, so the margin of the edges
    # left out shrinks by D each phase, and they are picked again once a search would need more.
    working, margin = None, -np.inf
    first = int(excess.sum())
    for phase in range(max_phases):
        starts = np.flatnonzero(excess > 0)
        if len(starts) == 0:
            p = np.maximum(pi[n + m] - pi[n:n + m], 0.0)
            p[flow.filled < c] = 0.0
            return x, p
        if reach > margin:
            margin = WORKING_MARGIN * reach
            working = _within(ln, lo, w, x, pi, n, margin)
        tails, heads, reduced, room = _arcs(ln, lo, w, x, flow, pi, short, working, reach)
        d = _distances(tails, heads, reduced, n + m + 2, reach)
        # Distances beyond the reach are not known, only that they exceed it: the potentials drop
        # by the reach there, and the slots that far away wait for a later phase.
        found = np.isfinite(d[starts])
        cap = float(d[starts].max()) if found.all() else reach
        dd = np.minimum(d, cap)
        pi -= dd[:-1]
        margin -= cap
        tight = np.flatnonzero(reduced - dd[tails] + dd[heads] <= tolerance)
        _route(tails[tight], heads[tight], room[tight], starts, excess, x, flow, key)
        left = int(excess.sum())
        if many is not None and left > many and left * 2 ** (phase + 1) > first:
            return None
        reach = max(2 * cap, reach / 2, slack) if found.all() else 4 * reach
    return None


def _within(ln, lo, w, x, pi, n, margin) -> np.ndarray:
    """Positions of the edges whose residual arc has a reduced cost of at most `margin`."""
    return np.flatnonzero(_edge_reduced(ln, lo, w, x, pi, n) <= margin)


def _edge_reduced(ln, lo, w, x, pi, n) -> np.ndarray:
    """The reduced cost of each edge's residual arc: taking it when it is free, giving it up when
    it is held (the same number, negated)."""
    gain = pi[ln] - pi[n + lo] - w
    return np.where(x, -gain, gain)


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


def _arcs(ln, lo, w, x, flow, pi, short, working, reach):
    """(tails, heads, reduced cost, room) of the residual arcs with room: those of the working edges
    with a reduced cost of at most `reach` (no path of that length or less uses another), and the
    arcs to and from T. Nodes: needs 0..n-1, offers n..n+m-1, T = n+m, and Z = n+m+1, a node added
    for the search: the offers with a deficit and T, while T lacks units, reach it at no cost.
    Reduced costs below 0 are the auction's eps at most, and count as 0."""
    n, m = flow.n, flow.m
    sink, target = n + m, n + m + 1
    signed = _edge_reduced(ln[working], lo[working], w[working], x[working], pi, n)
    near = signed <= reach
    e, held, signed = working[near], x[working[near]], signed[near]
    edge_tails = np.where(held, n + lo[e], ln[e])
    edge_heads = np.where(held, ln[e], n + lo[e])
    into_t_n = np.flatnonzero(flow.opened < flow.s)
    out_t_n = np.flatnonzero(flow.opened > 0)
    into_t_o = np.flatnonzero(flow.filled < flow.c)
    out_t_o = np.flatnonzero(flow.filled > 0)
    ends = short[flow.deficit[short] > 0]
    others_t = np.concatenate([into_t_n, n + into_t_o, np.full(len(out_t_n) + len(out_t_o), sink)])
    others_h = np.concatenate([np.full(len(into_t_n) + len(into_t_o), sink), out_t_n, n + out_t_o])
    last = [sink] if flow.sink_short > 0 else []
    tails = np.concatenate([edge_tails, others_t, n + ends, last]).astype(np.int64)
    heads = np.concatenate([edge_heads, others_h, np.full(len(ends) + len(last), target)]).astype(np.int64)
    reduced = np.concatenate([signed, pi[others_t] - pi[others_h],
                              np.zeros(len(ends) + len(last))])
    np.maximum(reduced, 0.0, out=reduced)
    room = np.concatenate([
        np.ones(len(e), dtype=np.int64),
        flow.s[into_t_n] - flow.opened[into_t_n], flow.c[into_t_o] - flow.filled[into_t_o],
        flow.opened[out_t_n], flow.filled[out_t_o],
        flow.deficit[ends], [flow.sink_short] if last else np.zeros(0, dtype=np.int64),
    ])
    return tails, heads, reduced, room


def _distances(tails, heads, reduced, nodes, reach):
    """Distance of every node to Z, inf beyond `reach`: Dijkstra from Z over the reversed arcs."""
    graph = sparse.csr_array((reduced, (heads, tails)), shape=(nodes, nodes))
    return dijkstra(graph, indices=nodes - 1, limit=reach)


def _route(tails, heads, room, starts, excess, x, flow, key):
    """Send as many units as the given arcs (those of reduced cost 0) carry from the open slots to Z,
    by one maximum flow from a source S added before them."""
    n, m = flow.n, flow.m
    sink, target = n + m, n + m + 1
    source = n + m + 2
    tails = np.concatenate([tails, np.full(len(starts), source)])
    heads = np.concatenate([heads, starts])
    room = np.concatenate([room, excess[starts]]).astype(np.int32)
    graph = sparse.csr_array((room, (tails, heads)), shape=(source + 1, source + 1))
    sent = maximum_flow(graph, source, target).flow.tocoo()
    a, b, f = sent.row, sent.col, sent.data.astype(np.int64)
    keep = f > 0
    a, b, f = a[keep], b[keep], f[keep]
    need_a, need_b = a < n, b < n
    offer_a, offer_b = (a >= n) & (a < sink), (b >= n) & (b < sink)
    for mask, i, j, held in ((need_a & offer_b, a, b, True), (offer_a & need_b, b, a, False)):
        x[np.searchsorted(key, i[mask] * np.int64(m) + (j[mask] - n))] = held  # taken, given up
    into_t, from_t, into_z = b == sink, a == sink, b == target
    opened, closed = need_a & into_t, from_t & need_b  # positions left open, or filled again
    used, freed = offer_a & into_t, from_t & offer_b  # an offer's places, used or freed
    np.add.at(flow.opened, a[opened], f[opened])
    np.subtract.at(flow.opened, b[closed], f[closed])
    np.add.at(flow.filled, a[used] - n, f[used])
    np.subtract.at(flow.filled, b[freed] - n, f[freed])
    np.subtract.at(flow.deficit, a[offer_a & into_z] - n, f[offer_a & into_z])
    flow.sink_short -= int(f[from_t & into_z].sum())
    np.subtract.at(excess, b[a == source], f[a == source])
