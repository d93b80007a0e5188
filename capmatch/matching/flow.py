"""Max-weight b-matching as min-cost flow, by ε-relaxation with ε-scaling (Bertsekas), in numpy.

Network: need i (supply s_i) -> offer j along each edge (capacity 1, cost -W_e); need i -> sink T
(capacity s_i, cost 0: a position left open); offer j -> T (capacity c_j, cost 0); T demands
sum(s). A min-cost flow is a max-weight b-matching in which each edge is used at most once.

ε-relaxation keeps prices p and a flow satisfying ε-complementary slackness (a residual arc
x->y of cost a has p_x <= a + p_y + ε; an arc carrying flow has p_x >= a + p_y - ε). A node with
surplus pushes it along its cheapest residual arcs (level a + p_y) and raises its price to the
next level + ε, which keeps ε-CS. With integer costs multiplied by (number of nodes + 1), a flow
satisfying ε-CS for ε = 1 is optimal; ε is divided by ALPHA from max |cost| down to 1, and each
new ε starts by saturating or emptying the arcs that violate it.

Vectorisation: needs are adjacent only to offers and T, offers only to needs and T, so all needs
with surplus act at once, then all offers, then T (its neighbours are fixed meanwhile): the same
steps as the sequential method, in an order it could have chosen. A node pushes at most KMAX
units per round (a partial push followed by the price rise to the next level is still a valid
ε-relaxation step). Scores are rounded to integers on 2^SCORE_BITS levels of the largest score,
so the result is optimal for the rounded scores: within n_chosen * 2^-(SCORE_BITS+1) * max score
of the float optimum.
"""

from __future__ import annotations

import numpy as np

ALPHA = 8
KMAX = 3
SCORE_BITS = 28
INF = np.iinfo(np.int64).max // 4


def max_weight_b_matching(ni, oj, w, s, c) -> np.ndarray:
    """Mask of the chosen edges. ni, oj: int64 endpoints with edges sorted by need; w > 0."""
    return _Relaxation(ni, oj, w, s, c).solve()


class _Relaxation:
    def __init__(self, ni, oj, w, s, c):
        n, m, n_edges = len(s), len(c), len(w)
        self.ni, self.oj = ni, oj
        self.s, self.c = s.astype(np.int64), c.astype(np.int64)
        weight = np.round(w / w.max() * 2.0**SCORE_BITS).astype(np.int64)
        self.cost = -weight * (n + m + 2)
        self.need_ptr = np.searchsorted(ni, np.arange(n + 1))
        self.by_offer = np.argsort(oj, kind="stable")
        self.offer_ptr = np.searchsorted(oj[self.by_offer], np.arange(m + 1))
        self.flow = np.zeros(n_edges, dtype=bool)
        self.slack = np.zeros(n, dtype=np.int64)  # open positions: flow on need -> T
        self.out = np.zeros(m, dtype=np.int64)  # flow on offer -> T
        self.g_need = self.s.copy()
        self.g_offer = np.zeros(m, dtype=np.int64)
        self.g_sink = -int(self.s.sum())
        self.p_offer = np.zeros(m, dtype=np.int64)
        self.p_sink = 0
        lowest = np.full(n, 0, dtype=np.int64)
        has = np.diff(self.need_ptr) > 0
        lowest[has] = np.minimum.reduceat(self.cost, self.need_ptr[:-1][has])
        self.p_need = np.minimum(lowest, 0)  # every arc out of a need starts ε-CS-feasible

    def solve(self) -> np.ndarray:
        eps = max(1, int(-self.cost.min()) // ALPHA) if len(self.cost) else 1
        while True:
            self._start_phase(eps)
            while (self.g_need > 0).any() or (self.g_offer > 0).any() or self.g_sink > 0:
                self._need_step(eps)
                self._offer_step(eps)
                if self.g_sink > 0:
                    self._sink_step(eps)
            if eps == 1:
                return self.flow
            eps = max(1, eps // ALPHA)

    def _start_phase(self, eps):
        """Saturate residual arcs with reduced cost < -ε, empty flow arcs with reduced cost > ε."""
        ni, oj = self.ni, self.oj
        reduced = self.cost + self.p_offer[oj] - self.p_need[ni]
        fill = ~self.flow & (reduced < -eps)
        drop = self.flow & (reduced > eps)
        if fill.any() or drop.any():
            delta = fill.astype(np.int64) - drop
            self.flow ^= fill | drop
            n, m = len(self.s), len(self.c)
            self.g_need -= np.bincount(ni, weights=delta, minlength=n).astype(np.int64)
            self.g_offer += np.bincount(oj, weights=delta, minlength=m).astype(np.int64)
        for flow, cap, price, surplus in ((self.slack, self.s, self.p_need, self.g_need),
                                          (self.out, self.c, self.p_offer, self.g_offer)):
            reduced = self.p_sink - price
            target = np.where(reduced < -eps, cap, np.where(reduced > eps, 0, flow))
            delta = target - flow
            flow += delta
            surplus -= delta
            self.g_sink += int(delta.sum())

    def _need_step(self, eps):
        act = np.flatnonzero(self.g_need > 0)
        if len(act) == 0:
            return
        owner, edge = _gather(self.need_ptr, act)
        level = np.where(self.flow[edge], INF, self.cost[edge] + self.p_offer[self.oj[edge]])
        taken, to_sink, price = _cheapest(owner, level, self.g_need[act], self.s[act] - self.slack[act],
                                          self.p_sink, len(act), eps, self.p_need[act])
        edges = edge[taken]
        self.flow[edges] = True
        self.g_offer += np.bincount(self.oj[edges], minlength=len(self.c))
        self.slack[act] += to_sink
        self.g_sink += int(to_sink.sum())
        self.g_need[act] -= to_sink + np.bincount(owner[taken], minlength=len(act))
        self.p_need[act] = price

    def _offer_step(self, eps):
        act = np.flatnonzero(self.g_offer > 0)
        if len(act) == 0:
            return
        owner, pos = _gather(self.offer_ptr, act)
        edge = self.by_offer[pos]
        carrying = self.flow[edge]
        owner, edge = owner[carrying], edge[carrying]  # only arcs with flow can be pushed back
        level = -self.cost[edge] + self.p_need[self.ni[edge]]
        taken, to_sink, price = _cheapest(owner, level, self.g_offer[act], self.c[act] - self.out[act],
                                          self.p_sink, len(act), eps, self.p_offer[act])
        edges = edge[taken]
        self.flow[edges] = False
        self.g_need += np.bincount(self.ni[edges], minlength=len(self.s))
        self.out[act] += to_sink
        self.g_sink += int(to_sink.sum())
        self.g_offer[act] -= to_sink + np.bincount(owner[taken], minlength=len(act))
        self.p_offer[act] = price

    def _sink_step(self, eps):
        """The sink got more than its demand: send the excess back along its cheapest arcs."""
        level = np.concatenate([self.p_need, self.p_offer])
        mult = np.concatenate([self.slack, self.out])
        order = np.argsort(level, kind="stable")
        order = order[mult[order] > 0]
        cum = np.cumsum(mult[order])
        k = int(np.searchsorted(cum, self.g_sink))  # the last arc used (maybe partly)
        back = np.zeros(len(level), dtype=np.int64)
        back[order[:k]] = mult[order[:k]]
        back[order[k]] = self.g_sink - (cum[k - 1] if k else 0)
        n = len(self.s)
        self.slack -= back[:n]
        self.g_need += back[:n]
        self.out -= back[n:]
        self.g_offer += back[n:]
        self.g_sink = 0
        left = mult[order[k]] - back[order[k]]
        nxt = level[order[k]] if left > 0 else (level[order[k + 1]] if k + 1 < len(order) else level[order[k]])
        self.p_sink = max(self.p_sink, int(nxt) + eps)


def _gather(indptr, rows):
    start = indptr[rows]
    length = indptr[rows + 1] - start
    owner = np.repeat(np.arange(len(rows)), length)
    offset = np.arange(len(owner)) - np.repeat(np.cumsum(length) - length, length)
    return owner, start[owner] + offset


def _cheapest(owner, level, surplus, sink_room, sink_level, n_act, eps, old_price):
    """For each acting node: push up to min(surplus, KMAX) units to its cheapest residual arcs
    (edge arcs: `level` per arc, one unit each; the arc to the sink: `sink_level`, `sink_room`
    units), and its new price: the next cheapest level + ε. Returns (taken arc mask, units sent
    to the sink, new prices)."""
    level = level.copy()
    taken = np.zeros(len(level), dtype=bool)
    to_sink = np.zeros(n_act, dtype=np.int64)
    push = np.minimum(surplus, KMAX)
    price = old_price.copy()
    last = np.full(n_act, -INF, dtype=np.int64)
    nonempty = np.flatnonzero(np.bincount(owner, minlength=n_act) > 0)
    starts = np.searchsorted(owner, nonempty)
    for t in range(KMAX + 1):
        best = np.full(n_act, INF, dtype=np.int64)
        if len(level):
            best[nonempty] = np.minimum.reduceat(level, starts)
        sink_ok = (sink_room - to_sink > 0) & (sink_level <= best)
        lvl = np.where(sink_ok, sink_level, best)
        pushing = t < push
        # Nodes done pushing: price = next level + ε (or, with nothing left, just above the last).
        done = t == push
        price[done] = np.where(lvl[done] < INF, lvl[done] + eps, np.maximum(old_price[done], last[done] + eps))
        if not pushing.any():
            break
        via_sink = pushing & sink_ok
        to_sink += via_sink
        via_edge = pushing & ~sink_ok & (best < INF)
        if via_edge.any():
            cand = np.flatnonzero(via_edge[owner] & (level == best[owner]))
            first = cand[np.unique(owner[cand], return_index=True)[1]]
            taken[first] = True
            level[first] = INF
        last = np.where(pushing & (lvl < INF), lvl, last)
    return taken, to_sink, np.maximum(price, old_price)
