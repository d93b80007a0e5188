"""Exact maximum-weight b-matching over the sparse candidate graph.

The problem: candidate edges e = (need_idx[e], offer_idx[e]) with score[e]. Choose edges with the
largest total score such that need i is used at most need_slots[i] times, offer j at most
offer_capacity[j] times and each edge at most once (one proposal per need-offer pair). An edge
scoring <= 0 is never chosen: leaving a position open is worth 0.

Every step below keeps the true optimum:

1. Canonical form: drop edges that cannot help (score <= 0, zero slots or capacity), keep the best
   of duplicate (need, offer) edges, sort by (need, offer). Everything after sees only this form,
   so the answer does not depend on the order the edges came in.
2. Edges whose need and offer both have at least as many slots / as much capacity as edges are in
   every optimal solution (taking them never displaces anything): they are taken outright.
3. Connected components are independent problems. A component with one need (or one offer) is
   solved in closed form: its best edges up to the slots (capacity).
4. Otherwise slots and capacities are expanded into unit copies. When no edge joins a multi-slot
   need to a multi-capacity offer, no pair can be used twice in the copy graph, so it is the same
   problem: `linear_sum_assignment` (dense, small) or `min_weight_full_bipartite_matching` (sparse,
   each row gets a private dummy column so leaving it unmatched is allowed).
5. Where a pair could be used twice, the copy graph is only a relaxation: small components try it
   and keep the answer when no pair repeats; otherwise the linear program is solved with HiGHS dual
   simplex. The constraint matrix of bipartite b-matching (with x <= 1) is totally unimodular, so
   the simplex vertex is integral.

Large edge sets go through the auction (capmatch.matching.core.auction) first:

- With at least PRUNE_EDGES edges left after step 3's stars, needs bid for offers in vectorised
  rounds with a tiny eps, and the answer is kept only when the offers' prices prove it optimal
  through complementary slackness (within 1e-9 of the scores' scale, the LP solver's own dual
  tolerance). Where many needs are torn between offers of exactly equal value (scores that repeat),
  prices would climb by eps a round; the auction notices early and stops. The side with fewer
  units bids (offers bid for needs where places are fewer than positions), so a scarce market is
  no price war. When the rounds stop with slots still open, the primal-dual method of min-cost
  flow (capmatch.matching.core.paths: Dijkstra for the potentials, a maximum flow over the arcs
  of reduced cost 0) finishes the work from the auction's prices, in the components that hold
  open slots only, and the same certificate checks the answer. It routes ties by the thousand in
  one phase; where many slots are open and each phase routes less than half of them, it gives up.
- It then goes on with a coarse eps, and its near-optimal prices and answer bound the LP from
  both sides (capmatch.matching.core.pruning): every edge whose reduced cost exceeds its component's
  duality gap is in no optimal answer and is dropped. The rest (about 3% of the synthetic
  marketplace's edges) is solved exactly by steps 2 to 5, without the auction.
- Smaller components with at least AUCTION_EDGES edges try the certified auction alone.

Components where a pair could repeat and with more than LP_EDGES edges use LAPJVsp on the copy
graph instead of the LP, with gadgets added lazily for the pairs that repeat (see
capmatch.matching.core.copy_graph): HiGHS needs ~1 KB per edge (6 GB for 6 million edges). The other methods tried, and what they
measured, are in benchmarks/solver_notes.md.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import linprog, milp, Bounds, LinearConstraint
from scipy.sparse.csgraph import connected_components

from capmatch.matching.core.copy_graph import solve_dense as dense_copies, solve_sparse as sparse_copies
from capmatch.matching.core.auction import scarce_side_auction, solve as solve_by_auction
from capmatch.matching.core.pruning import survivors

DENSE_CELLS = 1_500_000  # copy-matrix size up to which linear_sum_assignment is used
LP_EDGES = 1_500_000  # HiGHS up to this many edges (~1 KB each), LAPJVsp with lazy gadgets above
AUCTION_EDGES = 20_000  # components this large try the auction first (fast, when it certifies)
PRUNE_EDGES = 200_000  # edge sets this large are pruned by duality first (see capmatch.matching.core.pruning)
_LP_OPTIONS = {"presolve": False, "primal_feasibility_tolerance": 1e-9, "dual_feasibility_tolerance": 1e-9}


@dataclass(frozen=True)
class SolveResult:
    edges: np.ndarray  # chosen edge indices into the caller's arrays, int64, ascending
    total_score: float
    seconds: float
    method: str  # e.g. "star=12 lsa=3 lp=1": components solved by each method
    components: int


def solve_assignment(need_idx, offer_idx, score, need_slots, offer_capacity) -> np.ndarray:
    """Indices (int64, ascending) of a maximum-total-score set of edges; see the module docstring."""
    return solve_with_stats(need_idx, offer_idx, score, need_slots, offer_capacity).edges


def solve_with_stats(need_idx, offer_idx, score, need_slots, offer_capacity) -> SolveResult:
    started = time.perf_counter()
    need, offer, w, slots, cap = _validated(need_idx, offer_idx, score, need_slots, offer_capacity)
    idx = _canonical(need, offer, w, slots, cap)
    counts: dict[str, int] = {}
    picked = _solve_canonical(need[idx], offer[idx], w[idx], slots, cap, counts)
    edges = np.sort(idx[picked]).astype(np.int64)
    method = " ".join(f"{k}={v}" for k, v in sorted(counts.items())) or "empty"
    return SolveResult(
        edges=edges,
        total_score=float(w[edges].sum()),
        seconds=time.perf_counter() - started,
        method=method,
        components=sum(counts.values()),
    )


def _validated(need_idx, offer_idx, score, need_slots, offer_capacity):
    arrays = [np.asarray(a) for a in (need_idx, offer_idx, score, need_slots, offer_capacity)]
    names = ("need_idx", "offer_idx", "score", "need_slots", "offer_capacity")
    for name, a in zip(names, arrays):
        if a.ndim != 1:
            raise ValueError(f"{name} must be one-dimensional, got shape {a.shape}")
    need, offer, w, slots, cap = arrays
    if not (len(need) == len(offer) == len(w)):
        raise ValueError(
            f"need_idx, offer_idx and score must have equal lengths, got {len(need)}, {len(offer)}, {len(w)}"
        )
    for name, a in zip(names, arrays):
        if name != "score" and a.size and a.dtype.kind not in "iu":
            raise ValueError(f"{name} must hold integers, got dtype {a.dtype}")
    w = w.astype(np.float64, copy=False)
    bad = ~np.isfinite(w)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise ValueError(f"score must be finite: edge {first} has score {w[first]!r}")
    for name, a in (("need_slots", slots), ("offer_capacity", cap)):
        if a.size and a.min() < 0:
            raise ValueError(f"{name} must be >= 0")
    for name, a, bound in (("need_idx", need, len(slots)), ("offer_idx", offer, len(cap))):
        if a.size and (a.min() < 0 or a.max() >= bound):
            raise ValueError(f"{name} out of range: values must lie in [0, {bound})")
    return (need.astype(np.int64, copy=False), offer.astype(np.int64, copy=False), w,
            slots.astype(np.int64, copy=False), cap.astype(np.int64, copy=False))


def _canonical(need, offer, w, slots, cap) -> np.ndarray:
    """Indices of the useful edges, one per (need, offer) pair (the best), sorted by (need, offer)."""
    keep = np.flatnonzero((w > 0) & (slots[need] > 0) & (cap[offer] > 0))
    key = need[keep] * len(cap) + offer[keep]
    order = np.argsort(key, kind="stable")
    key, idx = key[order], keep[order]
    if len(key) > 1 and (key[1:] == key[:-1]).any():
        order = np.lexsort((idx, -w[idx], key))
        key, idx = key[order], idx[order]
        first = np.ones(len(key), dtype=bool)
        first[1:] = key[1:] != key[:-1]
        idx = idx[first]
    return idx


def _solve_canonical(ni, oj, w, slots, cap, counts, auction_tried: bool = False) -> np.ndarray:
    """Positions (into the canonical edge arrays) of an optimal edge set. auction_tried: the
    auction already ran on these edges and stopped (so neither it nor pruning is tried again)."""
    n_needs, n_offers, n_edges = len(slots), len(cap), len(w)
    if n_edges == 0:
        return np.zeros(0, dtype=np.int64)
    deg_n = np.bincount(ni, minlength=n_needs)
    deg_o = np.bincount(oj, minlength=n_offers)
    free = (deg_n[ni] <= slots[ni]) & (deg_o[oj] <= cap[oj])
    chosen = [np.flatnonzero(free)]
    rest = np.flatnonzero(~free)
    if len(rest) == 0:
        counts["forced"] = 1
        return chosen[0]
    # Slots left once forced edges are taken, capped at the remaining degree.
    s = np.minimum(slots - np.bincount(ni[free], minlength=n_needs), np.bincount(ni[rest], minlength=n_needs))
    c = np.minimum(cap - np.bincount(oj[free], minlength=n_offers), np.bincount(oj[rest], minlength=n_offers))
    rn, ro, rw = ni[rest], oj[rest], w[rest]
    graph = sparse.coo_array(
        (np.ones(len(rest), dtype=np.int8), (rn, n_needs + ro)), shape=(n_needs + n_offers,) * 2
    ).tocsr()
    _, label = connected_components(graph, directed=False)
    del graph
    lab = label[rn]
    touched_n = np.flatnonzero(s > 0)
    touched_o = np.flatnonzero(c > 0)
    n_comp_label = label.max() + 1
    comp_needs = np.bincount(label[touched_n], minlength=n_comp_label)
    comp_offers = np.bincount(label[n_needs + touched_o], minlength=n_comp_label)

    need_star = comp_needs[lab] == 1
    offer_star = (comp_offers[lab] == 1) & ~need_star
    if need_star.any():
        sel = np.flatnonzero(need_star)
        chosen.append(rest[sel[_top_per_group(rn[sel], rw[sel], s, n_needs)]])
        counts["star"] = counts.get("star", 0) + len(np.unique(lab[sel]))
    if offer_star.any():
        sel = np.flatnonzero(offer_star)
        chosen.append(rest[sel[_top_per_group(ro[sel], rw[sel], c, n_offers)]])
        counts["star"] = counts.get("star", 0) + len(np.unique(lab[sel]))

    general = np.flatnonzero(~need_star & ~offer_star)
    if not auction_tried and len(general) >= PRUNE_EDGES:
        auction, order = scarce_side_auction(rn[general], ro[general], rw[general], s, c)
        sel = auction.certified_optimum(parts=lab[general][order])
        if sel is not None:
            counts["auction"] = counts.get("auction", 0) + 1
            chosen.append(rest[general[order[sel]]])
            return np.concatenate(chosen)
        keep = np.sort(order[survivors(auction, lab[general][order])])
        del auction
        sub = general[keep]
        counts["pruned"] = counts.get("pruned", 0) + 1
        picked = _solve_canonical(rn[sub], ro[sub], rw[sub], s, c, counts, auction_tried=True)
        chosen.append(rest[sub[picked]])
        return np.concatenate(chosen)
    if len(general):
        chosen.append(rest[general[_solve_general(rn[general], ro[general], rw[general], lab[general],
                                                  label, s, c, n_needs, counts, auction_tried)]])
    return np.concatenate(chosen)


def _solve_general(rn, ro, rw, lab, label, s, c, n_needs, counts, auction_tried) -> np.ndarray:
    """Solve each remaining component; returns positions into the given edge arrays."""
    order = np.argsort(lab, kind="stable")  # keeps (need, offer) order inside a component
    bounds = np.flatnonzero(np.diff(lab[order])) + 1
    starts = np.concatenate([[0], bounds])
    ends = np.concatenate([bounds, [len(order)]])
    # Local node numbers inside each component, in global id order.
    nodes_n = np.unique(rn)
    nodes_o = np.unique(ro)
    local_n = np.zeros(len(s), dtype=np.int64)
    local_o = np.zeros(len(c), dtype=np.int64)
    for nodes, local, base in ((nodes_n, local_n, 0), (nodes_o, local_o, n_needs)):
        byl = nodes[np.argsort(label[base + nodes], kind="stable")]
        lb = label[base + byl]
        first = np.searchsorted(lb, lb, side="left")
        local[byl] = np.arange(len(byl)) - first
    picked = []
    for a, b in zip(starts, ends):
        pos = order[a:b]
        en, eo = rn[pos], ro[pos]
        ln, lo = local_n[en], local_o[eo]
        sn = np.zeros(ln.max() + 1, dtype=np.int64)
        sn[ln] = s[en]
        so = np.zeros(lo.max() + 1, dtype=np.int64)
        so[lo] = c[eo]
        sel, method = _solve_component(ln, lo, rw[pos], sn, so, auction_tried)
        counts[method] = counts.get(method, 0) + 1
        picked.append(pos[sel])
    return np.concatenate(picked) if picked else np.zeros(0, dtype=np.int64)


def _solve_component(ln, lo, w, s, c, auction_tried=False) -> tuple[np.ndarray, str]:
    """Optimal edge positions for one connected component given local indices (sorted by need, offer)."""
    if not auction_tried and len(w) >= AUCTION_EDGES:
        sel = solve_by_auction(ln, lo, w, s, c)
        if sel is not None:
            return sel, "auction"
    prone = bool(np.any((s[ln] > 1) & (c[lo] > 1)))
    copies_n, copies_o = int(s.sum()), int(c.sum())
    if copies_n * copies_o <= DENSE_CELLS:
        sel = dense_copies(ln, lo, w, s, c)
        if not prone or len(np.unique(sel)) == len(sel):
            return np.unique(sel), "lsa"
        return _lp(ln, lo, w, s, c), "lp"
    if not prone:
        return sparse_copies(ln, lo, w, s, c), "lapjvsp"
    if len(w) <= LP_EDGES:
        return _lp(ln, lo, w, s, c), "lp"
    return sparse_copies(ln, lo, w, s, c), "lapjvsp_gadgets"


def _top_per_group(group, w, k, n_groups) -> np.ndarray:
    """Mask of each group's k[group] best edges (ties: earlier position first)."""
    order = np.lexsort((-w, group))
    g = group[order]
    rank = np.arange(len(g)) - np.searchsorted(g, g, side="left")
    mask = np.zeros(len(g), dtype=bool)
    mask[order[rank < k[g]]] = True
    return mask


def _lp(ln, lo, w, s, c) -> np.ndarray:
    """Exact b-matching via its (integral) LP."""
    x, _, _ = _lp_solve(ln, lo, w, s, c)
    return np.flatnonzero(x)


def _lp_solve(ln, lo, w, s, c):
    """Solve the b-matching LP; returns (chosen mask, need duals, offer duals)."""
    n, m, n_edges = len(s), len(c), len(w)
    cols = np.arange(n_edges)
    incidence = sparse.csr_array(
        (np.ones(2 * n_edges), (np.concatenate([ln, n + lo]), np.concatenate([cols, cols]))),
        shape=(n + m, n_edges),
    )
    bound = np.concatenate([s, c]).astype(np.float64)
    res = linprog(-w, A_ub=incidence, b_ub=bound, bounds=(0, 1), method="highs-ds", options=_LP_OPTIONS)
    if res.status != 0:
        raise RuntimeError(f"b-matching LP failed: {res.message}")
    x = res.x
    if np.abs(x - np.round(x)).max(initial=0.0) > 1e-6:
        # Not expected (the LP is integral and simplex returns a vertex), but never return a
        # fractional answer: the integer program has the same optimum.
        x = _milp_solve(incidence, bound, w)
    duals = -res.ineqlin.marginals
    return x > 0.5, duals[:n], duals[n:]


def _milp_solve(incidence, bound, w) -> np.ndarray:
    res = milp(-w, constraints=LinearConstraint(incidence, -np.inf, bound), integrality=np.ones(len(w)),
               bounds=Bounds(0, 1))
    if res.x is None:
        raise RuntimeError(f"b-matching MILP failed: {res.message}")
    return res.x
