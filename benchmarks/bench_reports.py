"""How long each report takes on the load benchmark's database (20,000 needs, 200,000 offers, a
30,000-proposal run): builds it as benchmarks/bench_load.py does when it is not there yet.

    .venv/bin/python -m benchmarks.bench_reports [--repeat 3]
"""

from __future__ import annotations

import argparse
import time
from datetime import date

from sqlalchemy.orm import Session

from benchmarks.bench_load import build_database, existing_database
from capmatch.auth.actor import SYSTEM
from capmatch.reports import service
from capmatch.reports.filters import ReportFilters
from capmatch.reports.queries import public_results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    engine = existing_database() or build_database(20_000, 200_000, 7)
    cases = {"no filter": ReportFilters(), "one cluster": ReportFilters(cluster="justice"),
             "a period": ReportFilters(date_from=date(2020, 1, 1), date_to=date.today())}
    for label, filters in cases.items():
        print(f"-- {label}")
        for name in service.REPORTS:
            best = float("inf")
            for _ in range(args.repeat):
                with Session(engine) as session:
                    start = time.perf_counter()
                    service.run_report(session, actor=SYSTEM, name=name, filters=filters)
                    best = min(best, time.perf_counter() - start)
            print(f"{name:15} {best * 1000:8.0f} ms (best of {args.repeat})", flush=True)
    with Session(engine) as session:
        start = time.perf_counter()
        public_results(session)
        print(f"home summary    {(time.perf_counter() - start) * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
