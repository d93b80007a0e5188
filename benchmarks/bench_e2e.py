"""End to end: a match run over the synthetic 20,000 needs / 200,000 offers marketplace in PostgreSQL.

Prints the time to load the marketplace, then each phase of the run (snapshot, candidates,
scoring, solve, explain, write) and the total, against the 20 s target.
    .venv/bin/python benchmarks/bench_e2e.py [--needs 20000] [--offers 200000] [--save-graph PATH]
        [--constraints '{"min_south_south_share": 0.6}']
With side constraints, the "price" phase is what pricing them costs (capmatch.matching.core.price).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from benchmarks.database import fresh_database  # noqa: E402


def load_marketplace(engine: sa.Engine, needs: int, offers: int, seed: int) -> float:
    from capmatch.seed.demo import load_policies
    from capmatch.seed.synthetic_load import load_synthetic
    from capmatch.seed.taxonomy import load_taxonomy

    with Session(engine) as session:
        load_taxonomy(session)
        load_policies(session)
        session.commit()
    started = time.perf_counter()
    with Session(engine) as session:
        load_synthetic(session, needs=needs, offers=offers, seed=seed)
        session.commit()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("ANALYZE"))
    return time.perf_counter() - started


def run_match(engine: sa.Engine, constraints: dict | None = None) -> tuple[float, dict]:
    from capmatch.auth.actor import SYSTEM
    from capmatch.matching import runs, service
    from capmatch.matching.schemas import RunCreate

    with Session(engine) as session:
        run = service.create_run(session, actor=SYSTEM, request=RunCreate(constraints=constraints))
        run_id = run.id
        session.commit()
    started = time.perf_counter()
    runs.execute(run_id)
    elapsed = time.perf_counter() - started
    with Session(engine) as session:
        figures = session.scalar(sa.text("SELECT figures FROM match_runs WHERE id = :id"), {"id": run_id})
    return elapsed, figures


def save_graph(engine: sa.Engine, path: Path) -> None:
    """The candidate graph with its scores, for benchmarks/bench_solver.py --graph."""
    from capmatch.matching.core.policy import RunPolicy
    from capmatch.matching.pipeline import prepare

    with Session(engine) as session:
        weights = session.scalar(sa.text("SELECT weights FROM policies WHERE is_default"))
        p = prepare(session, policy=RunPolicy.from_dict({"weights": weights}), scope={})
    # The names benchmarks/bench_solver.py --graph reads.
    np.savez(path, need=p.candidates.need, offer=p.candidates.offer, score=p.scores.total,
             slots=p.needs.slots, capacity=p.offers.capacity)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--needs", type=int, default=20_000)
    parser.add_argument("--offers", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--save-graph", type=Path, default=None)
    parser.add_argument("--constraints", type=json.loads, default=None, help="side constraints, as JSON")
    args = parser.parse_args()

    engine = fresh_database("capmatch_bench_e2e")
    load_seconds = load_marketplace(engine, args.needs, args.offers, args.seed)
    print(f"synthetic marketplace {args.needs:,} needs / {args.offers:,} offers loaded in {load_seconds:.1f} s")
    elapsed, figures = run_match(engine, args.constraints)
    print("\nend-to-end match run")
    for phase, seconds in figures["seconds"].items():
        print(f"  {phase:<12} {seconds:8.2f} s")
    print(f"  {'total':<12} {elapsed:8.2f} s   (target < 20 s: {'met' if elapsed < 20 else 'NOT met'})")
    print(f"  candidates {figures['candidates']:,}; positions filled {figures['positions_filled']:,} of "
          f"{figures['positions_open']:,}; total score {figures['total_score']:.1f}; "
          f"South-South share {figures['south_south_share']:.1%}; method {figures['method']}")
    gap = figures.get("optimality_gap")
    print(f"  status {figures.get('status')}; optimality gap "
          + ("unknown" if gap is None else f"{gap:.2%}") + (f"; constraints {json.dumps(args.constraints)}" if args.constraints else ""))
    if figures.get("policy_price"):
        price = figures["policy_price"]
        print(f"  price: unconstrained total {price['unconstrained_total']:.1f} against {price['total']:.1f}; "
              + "; ".join(f"{c['name']} binding={c['binding']} without={c['total_without']}"
                          for c in price["constraints"]) + (f" ({price['skipped']})" if price["skipped"] else ""))
    if args.save_graph:
        save_graph(engine, args.save_graph)
        print(f"candidate graph saved to {args.save_graph}")
    engine.dispose()


if __name__ == "__main__":
    main()
