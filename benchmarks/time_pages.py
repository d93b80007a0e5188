"""Pages timed one request at a time, in process, against a database already built: what a change to
templates or views costs a request without the noise of concurrent load (bench_load.py measures that).

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/capmatch_bench_load \\
        .venv/bin/python benchmarks/time_pages.py [--requests 60] [--language en] [PATH ...]

Run it in two checkouts against the same database (bench_load.py builds one) to compare them; it
prints each page's median and 90th percentile in ms and the bytes sent. Pages are read as a visitor.
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings

PAGES = ("/healthz", "/needs?cluster=justice&q=prison", "/needs", "/needs/100")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", default=PAGES)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--language", default="en", help="the Accept-Language the requests send")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    from fastapi.testclient import TestClient

    from capmatch.app import create_app

    client = TestClient(create_app(), headers={"Accept-Language": args.language})
    print(f"{'page':40s} {'median ms':>10s} {'p90 ms':>8s} {'status':>7s} {'bytes':>8s}")
    for path in args.paths:
        for _ in range(5):
            client.get(path)
        times = []
        for _ in range(args.requests):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        p90 = statistics.quantiles(times, n=10)[-1]
        print(f"{path:40s} {statistics.median(times):10.2f} {p90:8.2f} {response.status_code:7d} {len(response.content):8d}")


if __name__ == "__main__":
    main()
