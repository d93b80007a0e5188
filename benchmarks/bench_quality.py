"""Quality of the proposals: the exact solver against greedy and first-come-first-served.

On the demo marketplace and on the synthetic one, with the default policy, prints positions
filled, total score and South-South share for:
- exact: the matching engine (maximum total score, scipy);
- greedy: best-scoring pairs first, taken while capacity lasts;
- first come, first served: the listing-board way, needs in posting order each taking the first
  offer (in listing order) that passes the hard rules.
    .venv/bin/python benchmarks/bench_quality.py [--needs 20000] [--offers 200000] [--skip-synthetic]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from benchmarks.baselines import first_come_first_served, greedy  # noqa: E402
from benchmarks.database import fresh_database  # noqa: E402


def evaluate(prepared, chosen: np.ndarray) -> tuple[int, float, float]:
    from capmatch.matching.core.scoring import COMPONENTS

    south = prepared.scores.components[chosen, COMPONENTS.index("south_south")]
    return len(chosen), float(prepared.scores.total[chosen].sum()), float(south.mean()) if len(chosen) else 0.0


def compare(label: str, engine: sa.Engine) -> None:
    from capmatch.matching.core.policy import RunPolicy
    from capmatch.matching.pipeline import Prepared, prepare, solve

    with Session(engine) as session:
        weights = session.scalar(sa.text("SELECT weights FROM policies WHERE is_default"))
        prepared: Prepared = prepare(session, policy=RunPolicy.from_dict({"weights": weights}), scope={})
    c = prepared.candidates
    exact = solve(prepared).chosen
    rows = {
        "exact (CapMatch)": exact,
        "greedy": greedy(c.need, c.offer, prepared.scores.total, prepared.needs.slots, prepared.offers.capacity),
        "first come, first served": first_come_first_served(
            c.need, c.offer, prepared.needs.slots, prepared.offers.capacity),
    }
    open_positions = int(prepared.needs.slots.sum())
    print(f"\n{label}: {len(prepared.needs):,} open needs, {open_positions:,} positions, "
          f"{len(prepared.offers):,} offers, {len(c):,} candidate pairs")
    print(f"  {'method':<26} {'filled':>8} {'fill rate':>9} {'total score':>12} {'vs exact':>9} {'South-South':>11}")
    best = evaluate(prepared, exact)[1]
    for name, chosen in rows.items():
        filled, total, south = evaluate(prepared, chosen)
        print(f"  {name:<26} {filled:>8,} {filled / max(open_positions, 1):>9.1%} {total:>12.2f} "
              f"{(total - best) / best if best else 0:>+9.2%} {south:>11.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--needs", type=int, default=20_000)
    parser.add_argument("--offers", type=int, default=200_000)
    parser.add_argument("--skip-synthetic", action="store_true")
    args = parser.parse_args()

    from capmatch.seed.demo import load_demo
    from capmatch.seed.taxonomy import load_taxonomy

    engine = fresh_database("capmatch_bench_quality")
    with Session(engine) as session:
        load_taxonomy(session)
        load_demo(session)
        session.commit()
    compare("Demo marketplace", engine)
    if not args.skip_synthetic:
        from capmatch.seed.synthetic_load import delete_synthetic, load_synthetic

        with Session(engine) as session:
            # The synthetic marketplace alone, without the demo's needs and offers mixed in.
            session.execute(sa.text("UPDATE needs SET status = 'closed' WHERE status IN ('open', 'partially_filled')"))
            session.execute(sa.text("UPDATE offers SET status = 'withdrawn'"))
            load_synthetic(session, needs=args.needs, offers=args.offers, seed=1)
            session.commit()
        compare(f"Synthetic marketplace ({args.needs:,} / {args.offers:,})", engine)
    engine.dispose()


if __name__ == "__main__":
    main()
