"""Slots and capacities expanded into unit copies: b-matching as an assignment problem.

Each need with s slots becomes s rows and each offer with c places c columns; an edge joins every
copy of its need to every copy of its offer. The copy graph lets a (need, offer) pair be matched
more than once when both have several copies, so it is exact only where no edge joins a multi-slot
need to a multi-capacity offer; elsewhere it is a relaxation that solve_sparse tightens lazily.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from scipy.sparse.csgraph import min_weight_full_bipartite_matching


def _expand(ln, lo, s, c):
    """Rows/columns of the copy graph: every need copy against every offer copy of each edge."""
    k = s[ln] * c[lo]
    rep = np.repeat(np.arange(len(ln), dtype=np.int32), k)
    off = np.arange(len(rep), dtype=np.int64)
    off -= np.repeat(np.cumsum(k) - k, k)
    cc = c[lo][rep]
    rows = ((np.cumsum(s) - s)[ln][rep] + off // cc).astype(np.int32)
    off %= cc
    del cc
    cols = ((np.cumsum(c) - c)[lo][rep] + off).astype(np.int32)
    return rep, rows, cols


def solve_dense(ln, lo, w, s, c) -> np.ndarray:
    """Edges used by the best copy assignment (an edge may appear more than once)."""
    rep, rows, cols = _expand(ln, lo, s, c)
    matrix = np.zeros((int(s.sum()), int(c.sum())))
    matrix[rows, cols] = w[rep]
    edge_of = np.full(matrix.shape, -1, dtype=np.int64)
    edge_of[rows, cols] = rep
    r, k = linear_sum_assignment(matrix, maximize=True)
    e = edge_of[r, k]
    return e[e >= 0]  # a zero cell is not an edge: it stands for "unmatched"


def solve_sparse(ln, lo, w, s, c) -> np.ndarray:
    """Exact b-matching with LAPJVsp on the copy graph, forbidding repeated pairs lazily.

    Rows are need copies, columns offer copies plus one private dummy per row (leaving it
    unmatched). A pair (i, j) whose need and offer both have several copies could be matched more
    than once; for each pair that does, the next round replaces its arcs by a gadget: a column g
    joined to every copy of i (cost K - w) and a row g joined to g and to every copy of j (cost K),
    so the pair is used at most once (row g takes a copy of j exactly when i takes g). Rounds end
    when no pair repeats; each round is exact for a relaxation, so the last one is optimal.
    Every row is matched, so the shift K (costs must be non-zero) is a constant.
    """
    gadget = np.zeros(len(w), dtype=bool)
    while True:
        edges = _lapjvsp_round(ln, lo, w, s, c, gadget)
        uniq, count = np.unique(edges, return_counts=True)
        repeated = uniq[count > 1]
        if len(repeated) == 0:
            return uniq
        gadget[repeated] = True


def _lapjvsp_round(ln, lo, w, s, c, gadget) -> np.ndarray:
    plain = np.flatnonzero(~gadget)
    rep, rows, cols = _expand(ln[plain], lo[plain], s, c)
    rep = plain[rep]
    n_rows, n_cols = int(s.sum()), int(c.sum())
    g = np.flatnonzero(gadget)
    big = float(w.max()) + 1.0
    need_start, offer_start = np.cumsum(s) - s, np.cumsum(c) - c
    parts_r, parts_c, parts_w, parts_e = [rows], [cols], [big - w[rep]], [rep]
    dummy = np.arange(n_rows)
    parts_r.append(dummy), parts_c.append(n_cols + dummy), parts_w.append(np.full(n_rows, big))
    parts_e.append(np.full(n_rows, -1))
    if len(g):
        g_col = n_cols + n_rows + np.arange(len(g))
        g_row = n_rows + np.arange(len(g))
        k = s[ln[g]]
        owner = np.repeat(np.arange(len(g)), k)
        copy = need_start[ln[g]][owner] + np.arange(len(owner)) - np.repeat(np.cumsum(k) - k, k)
        parts_r.append(copy), parts_c.append(g_col[owner]), parts_w.append(big - w[g][owner]), parts_e.append(g[owner])
        parts_r.append(g_row), parts_c.append(g_col), parts_w.append(np.full(len(g), big)), parts_e.append(np.full(len(g), -1))
        k = c[lo[g]]
        owner = np.repeat(np.arange(len(g)), k)
        copy = offer_start[lo[g]][owner] + np.arange(len(owner)) - np.repeat(np.cumsum(k) - k, k)
        parts_r.append(g_row[owner]), parts_c.append(copy), parts_w.append(np.full(len(owner), big))
        parts_e.append(np.full(len(owner), -1))
    total_rows, total_cols = n_rows + len(g), n_cols + n_rows + len(g)
    del rows, cols, rep
    key = np.concatenate([r.astype(np.int64) * total_cols + cc for r, cc in zip(parts_r, parts_c)])
    del parts_r, parts_c
    order = np.argsort(key, kind="stable")
    key = key[order]
    indptr = np.searchsorted(key, np.arange(total_rows + 1, dtype=np.int64) * total_cols)
    graph = sparse.csr_array((np.concatenate(parts_w)[order], (key % total_cols).astype(np.int32), indptr),
                             shape=(total_rows, total_cols))
    del parts_w
    edge_of = np.concatenate(parts_e)[order].astype(np.int32)
    del order
    r, k = min_weight_full_bipartite_matching(graph)
    e = edge_of[np.searchsorted(key, r * np.int64(total_cols) + k)]
    return e[e >= 0]
