"""Every exact method numpy and scipy offer, timed on one family instance against OR-Tools.

    .venv/bin/python benchmarks/bench_methods.py [--family uniform] [--repeat 1] [--timeout 300]
    .venv/bin/python benchmarks/bench_methods.py --rounds 0,150,600,1500   (the hand-over trade-off)

The solver chains an auction and the primal-dual phases (capmatch.matching.core.paths). This
times the other ways scipy gives to the same exact optimum, each alone on the whole instance, in
its own subprocess: HiGHS' dual simplex and interior point on the b-matching LP (integral, so its
vertex is the answer), LAPJVsp on the copy graph with gadgets for the pairs that repeat, the
primal-dual phases from nothing, and the auction alone. Two floors show what one step of the
iterative methods costs: one Dijkstra over the residual network, and one maximum flow through
it (costs ignored). Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import bench_solver  # noqa: E402
from benchmarks.bench_family import run as run_worker  # noqa: E402
from benchmarks.families import FAMILIES  # noqa: E402


def _canonical(g):
    from capmatch.matching.core import solver

    need, offer, w = g["need"].astype(np.int64), g["offer"].astype(np.int64), g["score"].astype(np.float64)
    s, c = g["slots"].astype(np.int64), g["capacity"].astype(np.int64)
    idx = solver._canonical(need, offer, w, s, c)
    return idx, need[idx], offer[idx], w[idx], s, c


def _auction(g, rounds):
    """(canonical edge positions, an auction of the instance after `rounds` bid rounds)."""
    from capmatch.matching.core.auction import Auction

    idx, ln, lo, w, s, c = _canonical(g)
    a = Auction(ln, lo, w, s, c)
    a.rounds(1e-10 * a.scale, max_rounds=rounds)
    return idx, a


def _finish_counting(a):
    """(held, price, phases): the primal-dual phases from the auction's state, with no phase limit."""
    from capmatch.matching.core import paths

    phases, route = [], paths._route
    paths._route = lambda *args: phases.append(1) or route(*args)
    try:
        held, price = paths.finish(a.ln, a.lo, a.w, a.s, a.c, a.held, a.taken, a.closed, a.price, a.need_ptr,
                                   2e-10 * a.scale, max_phases=10_000)
    finally:
        paths._route = route
    return held, price, len(phases)


def solve_primal_dual(g):
    idx, a = _auction(g, 0)
    held, _, phases = _finish_counting(a)
    return np.sort(idx[held]), f"primal-dual from nothing, {phases} phases"


def solve_auction_alone(g):
    from capmatch.matching.core.auction import _certified

    idx, a = _auction(g, 200_000)
    if not a.finished or not _certified(a.ln, a.lo, a.w, a.s, a.c, a.held, a.price, tolerance=1e-9 * a.scale):
        raise RuntimeError("the auction alone did not finish or certify")
    return np.sort(idx[a.held]), "auction alone, eps 1e-10 of the scale"


def _highs(g, method):
    from scipy import sparse
    from scipy.optimize import linprog

    idx, ln, lo, w, s, c = _canonical(g)
    n, m, cols = len(s), len(c), np.arange(len(w))
    incidence = sparse.csr_array((np.ones(2 * len(w)), (np.concatenate([ln, n + lo]), np.concatenate([cols, cols]))),
                                 shape=(n + m, len(w)))
    res = linprog(-w, A_ub=incidence, b_ub=np.concatenate([s, c]).astype(float), bounds=(0, 1), method=method,
                  options={"presolve": False} if method == "highs-ds" else {})
    if res.status != 0 or np.abs(res.x - np.round(res.x)).max() > 1e-6:
        raise RuntimeError(f"HiGHS {method}: {res.message}")
    return np.sort(idx[res.x > 0.5]), f"HiGHS {method}"


def solve_highs_simplex(g):
    return _highs(g, "highs-ds")


def solve_highs_ipm(g):
    return _highs(g, "highs-ipm")


def solve_lapjvsp(g):
    from capmatch.matching.core.copy_graph import solve_sparse

    idx, ln, lo, w, s, c = _canonical(g)
    return np.sort(idx[solve_sparse(ln, lo, w, s, c)]), "LAPJVsp on the copy graph, lazy gadgets"


def _network(g):
    """The b-matching's flow network's arcs: source -> needs -> offers -> sink."""
    idx, ln, lo, w, s, c = _canonical(g)
    n, m = len(s), len(c)
    source, sink = n + m, n + m + 1
    tails = np.concatenate([np.full(n, source), ln, n + np.arange(m)])
    heads = np.concatenate([np.arange(n), n + lo, np.full(m, sink)])
    return tails, heads, np.concatenate([s, np.ones(len(w), dtype=np.int64), c]), w, n + m + 2


def floor_dijkstra(g):
    from scipy import sparse
    from scipy.sparse.csgraph import dijkstra

    tails, heads, _, w, nodes = _network(g)
    cost = np.zeros(len(tails))
    cost[len(g["slots"]):len(g["slots"]) + len(w)] = 1.0 - w
    graph = sparse.csr_array((cost, (tails, heads)), shape=(nodes, nodes))
    started = time.perf_counter()
    dijkstra(graph, indices=nodes - 2)
    return np.zeros(0, dtype=np.int64), f"floor: one Dijkstra {time.perf_counter() - started:.3f} s (graph built outside)"


def floor_max_flow(g):
    from scipy import sparse
    from scipy.sparse.csgraph import maximum_flow

    tails, heads, room, _, nodes = _network(g)
    graph = sparse.csr_array((room.astype(np.int32), (tails, heads)), shape=(nodes, nodes))
    started = time.perf_counter()
    flow = maximum_flow(graph, nodes - 2, nodes - 1).flow_value
    return np.zeros(0, dtype=np.int64), (f"floor: one maximum flow {time.perf_counter() - started:.3f} s "
                                         f"({flow:,} units, graph built outside)")


METHODS = {  # OR-Tools first: the others' ratios are to it
    "ortools": bench_solver.solve_ortools,
    "ours": bench_solver.solve_ours,
    "highs_simplex": solve_highs_simplex,
    "highs_ipm": solve_highs_ipm,
    "lapjvsp": solve_lapjvsp,
    "primal_dual": solve_primal_dual,
    "auction_alone": solve_auction_alone,
    "dijkstra": floor_dijkstra,
    "max_flow": floor_max_flow,
}


def tradeoff(g, counts) -> None:
    """Where the auction could hand over to the phases: for each number of rounds, the rounds' time,
    the slots left open, the phases that route them and their time, and the total."""
    from capmatch.matching.core.auction import _certified

    print("rounds  rounds s    open  phases  phases s  total s  (in process, canonical form and set-up not counted)")
    for rounds in counts:
        _, a = _auction(g, 0)
        started = time.perf_counter()
        a.rounds(1e-10 * a.scale, max_rounds=rounds)
        middle = time.perf_counter()
        held, price, phases = _finish_counting(a)
        done = time.perf_counter()
        assert _certified(a.ln, a.lo, a.w, a.s, a.c, held, price, tolerance=1e-9 * a.scale)
        open_slots = int((a.s - a.taken - a.closed).sum())
        print(f"{rounds:6} {middle - started:9.2f} {open_slots:7,} {phases:7} {done - middle:9.2f} "
              f"{done - started:8.2f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--family", default="uniform", choices=sorted(FAMILIES))
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=300, help="seconds allowed to one method's runs")
    parser.add_argument("--only", help="comma-separated methods")
    parser.add_argument("--rounds", help="comma-separated round counts: print the auction / phases trade-off")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--instance", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return bench_solver.worker(args.worker, args.instance, args.repeat, METHODS)
    names = args.only.split(",") if args.only else list(METHODS)
    g = FAMILIES[args.family](seed=0)
    if args.rounds:
        return tradeoff(g, [int(r) for r in args.rounds.split(",")])
    print(f"{args.family}: {len(g['score']):,} edges, median of {args.repeat} run(s), {args.timeout:.0f} s allowed each")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "graph.npz")
        np.savez(path, **g)
        results = {}
        for name in names:
            results[name] = r = run_worker(name, path, args.repeat, args.timeout, script=__file__)
            ort = results.get("ortools")
            if "error" in r:
                print(f"{name:14} failed: {r['error']}", flush=True)
                continue
            known = ort is not None and "error" not in ort
            ratio = f"{r['median'] / ort['median']:6.2f}" if known else "     -"
            same = ""  # the floors choose nothing
            if r["chosen"] and known:
                same = "  same optimum" if r["scaled"] == ort["scaled"] else "  optimum differs"
            print(f"{name:14} {r['median']:8.2f} s  /OR-Tools {ratio}  {r['peak_mb']:6.0f} MB  {r['method']}{same}",
                  flush=True)


if __name__ == "__main__":
    main()
