"""Exports of 200,000 offers in each format: time to first byte, total time, peak memory.

Builds (once; --reuse keeps it) a bench database of 200,000 offers and 2,000 needs, then exports every
offer as the secretariat, through capmatch.exports.service.open_export, in csv, hxl, json and xlsx,
consuming the stream as a response body would be sent. Prints, per format: the file's size, the time
to the first chunk, the total time, the Python heap's peak growth (tracemalloc) and the process's
resident memory growth (psutil).

    .venv/bin/python benchmarks/bench_exports.py [--offers 200000] [--reuse] [--formats csv hxl json xlsx] [--no-trace]

CAPMATCH_BENCH_DATABASE_URL names a PostgreSQL server to use instead of the embedded one.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psutil  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from capmatch import db  # noqa: E402
from capmatch.auth.actor import SYSTEM  # noqa: E402
from capmatch.enums import OFFER_STATUSES  # noqa: E402
from capmatch.exports.formats import FORMATS  # noqa: E402
from capmatch.exports.service import ExportFilters, open_export  # noqa: E402

DATABASE = "capmatch_bench_exports"


def database(offers: int, reuse: bool) -> sa.Engine:
    from benchmarks.bench_e2e import load_marketplace
    from benchmarks.database import fresh_database, migrate

    if reuse:
        from benchmarks.bench_load import _server_url

        engine = db.create_db_engine(_server_url().set(database=DATABASE), pool_size=2)
        migrate(engine)
    else:
        engine = fresh_database(DATABASE)
        seconds = load_marketplace(engine, 2_000, offers, 1)
        print(f"{offers:,} offers loaded in {seconds:.0f} s", flush=True)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))
    db.set_engine(engine)
    return engine


def measure(engine: sa.Engine, fmt: str, *, trace: bool = True) -> dict:
    process = psutil.Process()
    with Session(engine) as session:
        rss = process.memory_info().rss
        if trace:
            tracemalloc.start()
        started = time.perf_counter()
        exported = open_export(session, actor=SYSTEM, dataset="offers", fmt=fmt,
                               filters=ExportFilters(status=OFFER_STATUSES))
        first = None
        size = rows = 0
        peak_rss = rss
        for chunk in exported.chunks:
            if first is None:
                first = time.perf_counter() - started
            size += len(chunk)
            rows += chunk.count(b"\n")
            peak_rss = max(peak_rss, process.memory_info().rss)
        total = time.perf_counter() - started
        peak = None
        if trace:
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        session.rollback()
    return {"format": fmt, "bytes": size, "first": first, "total": total, "heap": peak, "rss": peak_rss - rss}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--offers", type=int, default=200_000)
    parser.add_argument("--reuse", action="store_true", help="keep the bench database of an earlier run")
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    parser.add_argument("--no-trace", action="store_true",
                        help="leave tracemalloc off: true times, memory as the process's resident growth only")
    args = parser.parse_args()
    engine = database(args.offers, args.reuse)
    with engine.connect() as conn:
        count = conn.scalar(sa.text("SELECT count(*) FROM offers"))
    print(f"exporting {count:,} offers" + ("" if args.no_trace else " (tracemalloc on: times are slower than without it)"))
    print(f"{'format':<7}{'MB':>8}{'first byte s':>14}{'total s':>10}{'heap peak MB':>14}{'RSS growth MB':>15}")
    for fmt in args.formats:
        r = measure(engine, fmt, trace=not args.no_trace)
        heap = "—" if r["heap"] is None else f"{r['heap'] / 1e6:.1f}"
        print(f"{r['format']:<7}{r['bytes'] / 1e6:>8.1f}{r['first']:>14.3f}{r['total']:>10.1f}"
              f"{heap:>14}{r['rss'] / 1e6:>15.1f}", flush=True)


if __name__ == "__main__":
    main()
