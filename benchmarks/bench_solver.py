"""Solver benchmark: our exact solver against OR-Tools' min-cost flow and a greedy baseline.

    .venv/bin/python benchmarks/bench_solver.py            # full: 20k x 200k marketplace, 20k x 30k random
    .venv/bin/python benchmarks/bench_solver.py --quick    # small smoke run
    .venv/bin/python benchmarks/bench_solver.py --graph g.npz   # a real candidate graph instead of (a)

A graph .npz holds need, offer, score, slots, capacity. Each solver runs in its own subprocess so
its peak RSS is its own; times are of the solve call (OR-Tools: building the network + solving),
best and median of --repeat runs. OR-Tools works on integers: costs are -round(score * 1e6), so
"same optimum" means equal within the rounding of that scaling. Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.instances import marketplace, random_graph  # noqa: E402

SCALE = 1e6


def solve_ours(g):
    from capmatch.matching.core.solver import solve_with_stats

    r = solve_with_stats(g["need"], g["offer"], g["score"], g["slots"], g["capacity"])
    return r.edges, r.method


def solve_ortools(g):
    from ortools.graph.python import min_cost_flow

    need, offer, score, slots, cap = g["need"], g["offer"], g["score"], g["slots"], g["capacity"]
    keep = score > 0
    need, offer, score, index = need[keep], offer[keep], score[keep], np.flatnonzero(keep)
    n, m = len(slots), len(cap)
    source, sink = n + m, n + m + 1
    total = int(slots.sum())
    flow = min_cost_flow.SimpleMinCostFlow()
    # source -> need (slots), need -> offer (1, -score), offer -> sink (capacity), source -> sink
    # bypass (cost 0) so that leaving positions open is allowed: min cost = max total score.
    tails = np.concatenate([np.full(n, source), need, n + np.arange(m), [source]]).astype(np.int32)
    heads = np.concatenate([np.arange(n), n + offer, np.full(m, sink), [sink]]).astype(np.int32)
    caps = np.concatenate([slots, np.ones(len(need)), cap, [total]]).astype(np.int64)
    costs = np.concatenate([np.zeros(n), -np.round(score * SCALE), np.zeros(m), [0]]).astype(np.int64)
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.zeros(n + m + 2, dtype=np.int64)
    supplies[source], supplies[sink] = total, -total
    flow.set_nodes_supplies(np.arange(n + m + 2, dtype=np.int32), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"OR-Tools status {status}")
    used = flow.flows(np.arange(n, n + len(need), dtype=np.int32)) > 0
    return np.sort(index[used]), "min_cost_flow"


def solve_greedy(g):
    need, offer, score = g["need"], g["offer"], g["score"]
    slots, cap = g["slots"].astype(np.int64).copy(), g["capacity"].astype(np.int64).copy()
    order = np.lexsort((offer, need, -score))
    order = order[score[order] > 0]
    seen, chosen = set(), []
    for e, i, j in zip(order.tolist(), need[order].tolist(), offer[order].tolist()):
        if slots[i] > 0 and cap[j] > 0 and (i, j) not in seen:
            slots[i] -= 1
            cap[j] -= 1
            seen.add((i, j))
            chosen.append(e)
    return np.sort(np.array(chosen, dtype=np.int64)), "greedy"


SOLVERS = {"ours": solve_ours, "ortools": solve_ortools, "greedy": solve_greedy}


def worker(name: str, path: str, repeat: int, solvers: dict = SOLVERS) -> None:
    g = dict(np.load(path))
    # Imports are not part of the timed solve.
    import capmatch.matching.core.solver  # noqa: F401
    import ortools.graph.python.min_cost_flow  # noqa: F401

    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times, edges, method = [], None, ""
    for _ in range(repeat):
        started = time.perf_counter()
        edges, method = solvers[name](g)
        times.append(time.perf_counter() - started)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({
        "best": min(times), "median": statistics.median(times), "method": method,
        "total": float(g["score"][edges].sum()), "scaled": int(np.round(g["score"][edges] * SCALE).sum()),
        "chosen": int(len(edges)),
        "peak_mb": peak / 1024, "solve_mb": (peak - base) / 1024,
    }))


def run(name: str, path: str, repeat: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--worker", name, "--instance", path, "--repeat", str(repeat)],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else f"exit {out.returncode}"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench(title: str, graph: dict, repeat: int) -> None:
    print(f"\n== {title}: {len(graph['slots']):,} needs ({int(graph['slots'].sum()):,} slots), "
          f"{len(graph['capacity']):,} offers ({int(graph['capacity'].sum()):,} capacity), "
          f"{len(graph['need']):,} edges")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "graph.npz")
        np.savez(path, **graph)
        results = {name: run(name, path, 1 if name == "greedy" else repeat) for name in SOLVERS}
    print(f"{'solver':8} {'best s':>8} {'median s':>9} {'peak MB':>8} {'solve MB':>9} {'chosen':>8} {'total score':>16}  method")
    for name, r in results.items():
        if "error" in r:
            print(f"{name:8} failed: {r['error']}")
            continue
        print(f"{name:8} {r['best']:8.3f} {r['median']:9.3f} {r['peak_mb']:8.0f} {r['solve_mb']:9.0f} "
              f"{r['chosen']:8,} {r['total']:16.6f}  {r['method']}")
    ours, ort, greedy = results["ours"], results["ortools"], results["greedy"]
    if "error" not in ours and "error" not in ort:
        # OR-Tools optimises the rounded scores: its true total is within chosen * 0.5e-6 of ours at best.
        tol = (ours["chosen"] + ort["chosen"]) * 0.5 / SCALE + 1e-9 * abs(ours["total"])
        print(f"time ours/ortools (median): {ours['median'] / ort['median']:.2f}   "
              f"same optimum: {abs(ours['total'] - ort['total']) <= tol} (diff {ours['total'] - ort['total']:+.3e}, tol {tol:.1e})")
    if "error" not in ours and "error" not in greedy:
        print(f"greedy score gap: {100 * (ours['total'] - greedy['total']) / max(ours['total'], 1e-12):.3f}%")


def marketplace_graph(n_needs: int, n_offers: int) -> dict:
    from capmatch.matching.core.problem import build_candidates
    from capmatch.matching.core.scoring import score_candidates

    needs, offers, today = marketplace(n_needs, n_offers, seed=1)
    started = time.perf_counter()
    cands = build_candidates(needs, offers, today=today)
    t_cands = time.perf_counter() - started
    started = time.perf_counter()
    scores = score_candidates(needs, offers, cands)
    t_score = time.perf_counter() - started
    print(f"candidate generation: {t_cands:.2f} s for {len(cands):,} candidates "
          f"({n_needs:,} needs x {n_offers:,} offers); scoring: {t_score:.2f} s")
    return {"need": cands.need, "offer": cands.offer, "score": scores.total, "slots": needs.slots,
            "capacity": offers.capacity}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--graph", help="npz candidate graph (need, offer, score, slots, capacity) for (a)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--instance", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, args.instance, args.repeat)
    if args.graph:
        graph = dict(np.load(args.graph))
        bench(f"(a) graph {args.graph}", graph, args.repeat)
    else:
        size = (2_000, 20_000) if args.quick else (20_000, 200_000)
        bench("(a) marketplace", marketplace_graph(*size), args.repeat)
    n, m, e = (2_000, 3_000, 100_000) if args.quick else (20_000, 30_000, 1_000_000)
    need, offer, score, slots, cap = random_graph(n, m, e, seed=0)
    bench("(b) random", {"need": need, "offer": offer, "score": score, "slots": slots, "capacity": cap}, args.repeat)


if __name__ == "__main__":
    main()
