"""`make bench`: every benchmark in turn, each in its own process so memory figures stay clean."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
GRAPH = HERE.parent / ".capmatch" / "bench" / "synthetic_graph.npz"

STEPS = [
    ("End to end: a match run over the synthetic marketplace", ["bench_e2e.py", "--save-graph", str(GRAPH)]),
    ("Solver: exact optimum and time against OR-Tools and greedy", ["bench_solver.py", "--graph", str(GRAPH)]),
    ("Solver families: speed on every shape of marketplace against OR-Tools and LEMON",
     ["bench_family.py", "--graph", str(GRAPH)]),
    ("Quality: exact against greedy and first come, first served", ["bench_quality.py"]),
]


def main() -> int:
    GRAPH.parent.mkdir(parents=True, exist_ok=True)
    failures = 0
    for title, args in STEPS:
        print(f"\n=== {title} ===", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, str(HERE / args[0]), *args[1:]])
        print(f"--- {time.perf_counter() - started:.0f} s" + ("" if code == 0 else f", exit code {code}"), flush=True)
        failures += code != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
