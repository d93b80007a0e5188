"""Family benchmark: our exact solver against OR-Tools' min-cost flow and LEMON's network simplex
on several shapes of marketplace, about 1,000,000 edges each (benchmarks/families.py), plus the
two instances bench_solver draws.

    .venv/bin/python benchmarks/bench_family.py [--graph g.npz] [--repeat 3] [--only teams,hubs]

Each solver runs in its own subprocess (peak RSS is its own), --repeat times; the time is the
median of the solve calls (OR-Tools and LEMON: building the network and solving). OR-Tools and
LEMON work on integer costs round(score * 1e6); the families' scores lie on that grid, so "same
optimum" there means equal integer totals. On the two older instances (scores of any value) it
means equal within the rounding of the scaling, as in bench_solver. Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import bench_solver  # noqa: E402
from benchmarks.bench_solver import SCALE, marketplace_graph, solve_ortools, solve_ours  # noqa: E402
from benchmarks.families import FAMILIES  # noqa: E402
from benchmarks.instances import random_graph  # noqa: E402

SOLVER_NAMES = ("ours", "ortools", "lemon")


def solve_lemon(g):
    """LEMON's network simplex (pylmcf). Its costs must be >= 0: every unit of a need's supply pays
    K once, on its way to an offer (K - score) or straight to the sink (K, the position left open)."""
    import pylmcf

    need, offer, score, slots, cap = g["need"], g["offer"], g["score"], g["slots"], g["capacity"]
    keep = np.flatnonzero(score > 0)
    n, m = len(slots), len(cap)
    sink = n + m
    cost = np.round(score[keep] * SCALE).astype(np.int64)
    big = int(cost.max(initial=0)) + 1
    # Arcs: need -> offer, need -> sink (open position), offer -> sink (capacity); sorted by
    # (tail, head) as pylmcf requires.
    tails = np.concatenate([need[keep], np.arange(n), n + np.arange(m)])
    heads = np.concatenate([n + offer[keep], np.full(n, sink), np.full(m, sink)])
    caps = np.concatenate([np.ones(len(keep)), slots, cap]).astype(np.int64)
    costs = np.concatenate([big - cost, np.full(n, big), np.zeros(m)]).astype(np.int64)
    order = np.lexsort((heads, tails))
    graph = pylmcf.Graph(n + m + 1, tails[order].astype(np.int32), heads[order].astype(np.int32))
    supply = np.concatenate([slots, np.zeros(m), [-int(slots.sum())]]).astype(np.int64)
    graph.set_node_supply(supply)
    graph.set_edge_capacities(caps[order])
    graph.set_edge_costs(costs[order])
    graph.solve()
    flow = np.empty(len(order), dtype=np.int64)
    flow[order] = graph.result()
    return np.sort(keep[flow[:len(keep)] > 0]), "network_simplex"


SOLVERS = {"ours": solve_ours, "ortools": solve_ortools, "lemon": solve_lemon}


def worker(name: str, path: str, repeat: int) -> None:
    import pylmcf  # noqa: F401  (imports are not part of the timed solve)

    bench_solver.worker(name, path, repeat, SOLVERS)


def run(name: str, path: str, repeat: int, timeout: float, script: str = __file__) -> dict:
    """One solver's runs in a subprocess of `script` (its --worker mode)."""
    try:
        out = subprocess.run([sys.executable, script, "--worker", name, "--instance", path, "--repeat", str(repeat)],
                             capture_output=True, text=True, check=False, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"no answer within {timeout:.0f} s"}
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else f"exit {out.returncode}"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def same_optimum(results: dict, on_grid: bool) -> str:
    done = [r for r in results.values() if "error" not in r]
    if "error" in results["ours"] or len(done) < 2:
        return "-"
    if on_grid:
        return "yes" if len({r["scaled"] for r in done}) == 1 else "NO"
    # Scores off the grid: the integer solvers' true totals are within chosen * 0.5e-6 of ours at best.
    ours = done[0]
    ok = all(abs(r["total"] - ours["total"]) <= (r["chosen"] + ours["chosen"]) * 0.5 / SCALE + 1e-9 * abs(ours["total"])
             for r in done[1:])
    return "yes" if ok else "NO"


def bench(title: str, graph: dict, repeat: int, timeout: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "graph.npz")
        np.savez(path, **graph)
        results = {name: run(name, path, repeat, timeout) for name in SOLVER_NAMES}
    score = graph["score"]
    on_grid = bool(np.all(np.round(score * SCALE) / SCALE == score))
    row = {"family": title, "edges": len(score), "same": same_optimum(results, on_grid), **results}
    print(_line(row), flush=True)
    for name, r in results.items():
        if "error" in r:
            print(f"    {name} failed: {r['error']}", flush=True)
    print(f"    ours: {results['ours'].get('method', '-')}", flush=True)
    return row


def _ratio(a: dict, b: dict, key: str) -> str:
    return f"{a[key] / b[key]:.2f}" if "error" not in a and "error" not in b else "-"


def _seconds(r: dict) -> str:
    return f"{r['median']:.2f}" if "error" not in r else "fail"


HEADER = (f"{'family':12} {'edges':>10} {'ours s':>7} {'OR-T s':>7} {'LEMON s':>7} {'/OR-T':>6} {'/LEMON':>6} "
          f"{'ours MB':>8} {'OR-T MB':>8} {'MB /OR-T':>8}  same optimum")


def _line(row: dict) -> str:
    ours, ort, lemon = row["ours"], row["ortools"], row["lemon"]
    mb = lambda r: f"{r['peak_mb']:.0f}" if "error" not in r else "-"  # noqa: E731
    return (f"{row['family']:12} {row['edges']:>10,} {_seconds(ours):>7} {_seconds(ort):>7} {_seconds(lemon):>7} "
            f"{_ratio(ours, ort, 'median'):>6} {_ratio(ours, lemon, 'median'):>6} "
            f"{mb(ours):>8} {mb(ort):>8} {_ratio(ours, ort, 'peak_mb'):>8}  {row['same']}")


def instances(graph_path: str | None):
    """(name, thunk) of every instance, in the order they are run."""
    for name, family in FAMILIES.items():
        yield name, lambda family=family: family(seed=0)

    def market():
        if graph_path:
            return dict(np.load(graph_path))
        return marketplace_graph(20_000, 200_000)

    def random():
        need, offer, score, slots, cap = random_graph(20_000, 30_000, 1_000_000, seed=0)
        return {"need": need, "offer": offer, "score": score, "slots": slots, "capacity": cap}

    yield "marketplace", market
    yield "random", random


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--graph", help="npz candidate graph of the synthetic marketplace (else it is drawn)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", help="comma-separated instance names")
    parser.add_argument("--timeout", type=float, default=900, help="seconds allowed to one solver's runs")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--instance", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, args.instance, args.repeat)
    only = set(args.only.split(",")) if args.only else None
    print(f"median of {args.repeat} runs; MB: peak RSS of the solver's process\n{HEADER}", flush=True)
    rows = [bench(name, make(), args.repeat, args.timeout)
            for name, make in instances(args.graph) if only is None or name in only]
    print(f"\n{HEADER}")
    for row in rows:
        print(_line(row))
    worst = [float(_ratio(r["ours"], r["ortools"], "median")) for r in rows if _ratio(r["ours"], r["ortools"], "median") != "-"]
    if worst:
        print(f"largest ratio to OR-Tools: {max(worst):.2f} (target <= 1.0); "
              f"same optimum everywhere: {all(r['same'] == 'yes' for r in rows)}")


if __name__ == "__main__":
    main()
