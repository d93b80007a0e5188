"""The web tier under load: 16 concurrent clients against a real uvicorn over the synthetic marketplace.

Builds a fresh bench database (20,000 needs / 200,000 offers, a match run of 30,000 proposals), starts
uvicorn on a free port on 127.0.0.1, signs an officer in through the login form, then for each page in
turn keeps 16 clients busy (bounded by --requests and --seconds) and prints requests, p50/p95/p99 in ms,
requests per second, and p95 against the trivial /healthz baseline's p95. Target: p95 < 100 ms for the
three pages. It does this for each --workers count, to show which suits the machine.

    .venv/bin/python benchmarks/bench_load.py [--workers 1 2] [--clients 16] [--seconds 20] [--requests 3000]
        [--reuse]   keep the bench database of an earlier run instead of building it again (~2 min)

The client is a small asyncio HTTP/1.1 keep-alive client rather than httpx: on two cores the load
generator shares the CPU with the server and PostgreSQL, and the less it takes the truer the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psutil  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from capmatch import db  # noqa: E402
from capmatch.config import REPO_ROOT  # noqa: E402

from benchmarks.database import migrate  # noqa: E402

DATABASE = "capmatch_bench_load"
TARGET_PROPOSALS = 30_000
OFFICER_EMAIL = "bench.officer@example.org"
OFFICER_PASSWORD = "bench-load-" + "officer"
SEARCH_WORDS = ("prison", "judicial", "adviser", "prosecution", "legal", "reform", "justice", "court")


# --- the data ------------------------------------------------------------------------------------


def _server_url() -> sa.engine.URL:
    external = os.environ.get("CAPMATCH_BENCH_DATABASE_URL")
    if external:
        return db.normalize_url(external)
    return db.embedded_server_url(REPO_ROOT / ".capmatch" / "bench", database="postgres")


def existing_database() -> sa.Engine | None:
    """The bench database of an earlier run, if it holds a finished 30,000-proposal run."""
    url = _server_url()
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        exists = conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": DATABASE})
    admin.dispose()
    if not exists:
        return None
    engine = db.create_db_engine(url.set(database=DATABASE), pool_size=2)
    db.set_engine(engine)
    with engine.connect() as conn:
        if not conn.scalar(sa.text("SELECT to_regclass('proposals') IS NOT NULL")):
            return None
    migrate(engine)  # a newer checkout's schema over the data an older one built
    with engine.connect() as conn:
        try:
            ok = conn.scalar(sa.text(
                "SELECT count(*) FROM proposals WHERE run_id = (SELECT max(id) FROM match_runs "
                "WHERE status = 'succeeded')")) >= TARGET_PROPOSALS
        except sa.exc.ProgrammingError:
            ok = False
    return engine if ok else None


def build_database(needs: int, offers: int, seed: int) -> sa.Engine:
    from benchmarks.bench_e2e import load_marketplace, run_match
    from benchmarks.database import fresh_database

    engine = fresh_database(DATABASE)
    seconds = load_marketplace(engine, needs, offers, seed)
    print(f"marketplace {needs:,} needs / {offers:,} offers loaded in {seconds:.0f} s", flush=True)
    seconds, _ = run_match(engine)
    with engine.connect() as conn:
        run_id, made = conn.execute(sa.text(
            "SELECT r.id, count(p.id) FROM match_runs r LEFT JOIN proposals p ON p.run_id = r.id "
            "WHERE r.status = 'succeeded' GROUP BY r.id ORDER BY r.id DESC LIMIT 1")).one()
    print(f"match run {run_id}: {made:,} proposals in {seconds:.1f} s", flush=True)
    if made < TARGET_PROPOSALS:
        top_up(engine, run_id, TARGET_PROPOSALS - made, seed)
        print(f"  topped up with {TARGET_PROPOSALS - made:,} proposals inserted directly", flush=True)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE"))
    return engine


def top_up(engine: sa.Engine, run_id: int, count: int, seed: int) -> None:
    """Proposed pairs the run did not make, so the run page has 30,000 rows to page through."""
    rng = random.Random(seed)
    with engine.begin() as conn:
        need_ids = conn.scalars(sa.text("SELECT id FROM needs WHERE status IN ('open', 'partially_filled')")).all()
        offer_ids = conn.scalars(sa.text("SELECT id FROM offers WHERE status = 'available'")).all()
        taken = {tuple(row) for row in conn.execute(sa.text("SELECT need_id, offer_id FROM proposals"))}
        rows = []
        while len(rows) < count:
            pair = (rng.choice(need_ids), rng.choice(offer_ids))
            if pair not in taken:
                taken.add(pair)
                rows.append({"run": run_id, "need": pair[0], "offer": pair[1], "score": round(rng.random(), 4)})
        conn.execute(sa.text(
            "INSERT INTO proposals (run_id, need_id, offer_id, score, breakdown, status) "
            "VALUES (:run, :need, :offer, :score, '{}'::jsonb, 'proposed')"), rows)
        # Keep the run's record true: the run page trusts the count a finished run wrote.
        conn.execute(sa.text(
            "UPDATE match_runs SET figures = jsonb_set(figures, '{proposals_written}', "
            "to_jsonb((SELECT count(*) FROM proposals WHERE run_id = :run))) WHERE id = :run"), {"run": run_id})


def prepare_officer(engine: sa.Engine) -> None:
    from capmatch.auth.models import User
    from capmatch.auth.passwords import hash_password

    with Session(engine) as session:
        user = session.scalar(sa.select(User).where(User.email == OFFICER_EMAIL))
        if user is None:
            session.add(User(email=OFFICER_EMAIL, full_name="Bench Officer", role="officer",
                             password_hash=hash_password(OFFICER_PASSWORD)))
        session.execute(sa.text("DELETE FROM login_attempts"))
        session.commit()


@dataclass
class Targets:
    run_id: int
    run_pages: int
    need_ids: list[int]


def targets(engine: sa.Engine) -> Targets:
    with engine.connect() as conn:
        run_id, total = conn.execute(sa.text(
            "SELECT r.id, count(p.id) FROM match_runs r JOIN proposals p ON p.run_id = r.id "
            "WHERE r.status = 'succeeded' GROUP BY r.id ORDER BY r.id DESC LIMIT 1")).one()
        need_ids = conn.scalars(sa.text(
            "SELECT id FROM needs WHERE status IN ('open', 'partially_filled') ORDER BY id")).all()
    return Targets(run_id, -(-total // 50), list(need_ids))


# --- the server ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: sa.engine.URL, port: int, workers: int, log: Path,
                 app: str = "capmatch.app:serving_app") -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url.render_as_string(hide_password=False), "CAPMATCH_ENV": "test",
           "CAPMATCH_SECRET_KEY": secrets.token_urlsafe(32)}
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", app, "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers), "--no-access-log", "--log-level", "warning"],
        cwd=REPO_ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"uvicorn exited with {process.returncode}; see {log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
                if s.recv(16).startswith(b"HTTP/1.1 200"):
                    return process
        except OSError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit(f"uvicorn did not answer within 60 s; see {log}")


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def sign_in(port: int) -> str:
    """The officer's session cookie, got through the real login form (CSRF token and all)."""
    import httpx

    with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
        page = client.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        response = client.post("/login", data={"email": OFFICER_EMAIL, "password": OFFICER_PASSWORD,
                                               "csrf_token": token})
        if response.status_code != 303 or response.headers.get("location") != "/officer":
            raise SystemExit(f"the officer could not sign in: {response.status_code} {response.text[:300]}")
        return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


# --- the load ------------------------------------------------------------------------------------


class Connection:
    """One keep-alive HTTP/1.1 connection; enough of the protocol for uvicorn's answers."""

    def __init__(self, port: int, cookie: str) -> None:
        self.port, self.cookie = port, cookie
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {self.cookie}\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        match = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
        if match:
            await self.reader.readexactly(int(match.group(1)))
        else:  # chunked
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        if re.search(rb"(?i)\r\nconnection: *close", head):
            self.writer.close()
            self.writer = None
        return status


@dataclass
class Result:
    name: str
    latencies: list[float]
    errors: int
    seconds: float
    split: str = ""  # the clients' connections per uvicorn worker, most loaded first

    def quantile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def connection_split(server_pid: int, port: int) -> str:
    """How the clients' connections are spread over the server's worker processes, e.g. "9/7".

    uvicorn's workers share one listening socket and whichever wakes first accepts, so 16 kept-alive
    connections may land 8/8 or 13/3 for a whole page; the more loaded worker's clients wait longer,
    and that moves p95 from run to run. Printed so that a figure can be read with its split."""
    workers = [child for child in psutil.Process(server_pid).children()
               if "resource_tracker" not in " ".join(child.cmdline())] or [psutil.Process(server_pid)]
    counts = []
    for worker in workers:
        conns = worker.net_connections(kind="tcp")
        counts.append(sum(1 for c in conns if c.status == psutil.CONN_ESTABLISHED and c.laddr.port == port))
    return "/".join(str(n) for n in sorted(counts, reverse=True))


async def hammer(name: str, paths, *, port: int, cookie: str, clients: int, requests: int,
                 seconds: float, server_pid: int) -> Result:
    latencies: list[float] = []
    errors = 0
    issued = 0

    async def client(conn: Connection) -> None:
        nonlocal errors, issued
        while issued < requests and time.perf_counter() < deadline:
            issued += 1
            path = paths()
            started = time.perf_counter()
            status = await conn.get(path)
            latencies.append(time.perf_counter() - started)
            if status != 200:
                errors += 1
        if conn.writer:
            conn.writer.close()

    # Connect one client at a time, each warming its connection (not counted) before the next
    # connects. Sixteen connects in the same instant all queue before any worker wakes, and the
    # first to wake accepts every one of them (uvicorn's workers share one listening socket): the
    # other worker would idle and the figures measure that artefact, not the pages.
    connections = []
    for _ in range(clients):
        conn = Connection(port, cookie)
        for _ in range(3):
            await conn.get(paths())
        connections.append(conn)
    split = connection_split(server_pid, port)
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()
    await asyncio.gather(*(client(conn) for conn in connections))
    return Result(name, latencies, errors, time.perf_counter() - started, split)


def scenarios(t: Targets, rng: random.Random) -> list[tuple[str, object]]:
    later = max(1, t.run_pages // 2)
    return [
        ("/healthz (baseline)", lambda: "/healthz"),
        ("/needs?cluster=justice&q=…", lambda: f"/needs?cluster=justice&q={rng.choice(SEARCH_WORDS)}"),
        ("/needs/{id}", lambda: f"/needs/{rng.choice(t.need_ids)}"),
        ("/officer/runs/{id} page 1", lambda: f"/officer/runs/{t.run_id}?sort=score"),
        (f"/officer/runs/{{id}} page {later}", lambda: f"/officer/runs/{t.run_id}?sort=score&page={later}"),
    ]


def report(workers: int, clients: int, results: list[Result]) -> None:
    base = results[0].quantile(0.95)
    print(f"\nuvicorn --workers {workers}, {clients} concurrent clients")
    print(f"{'page':34} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'req/s':>7} "
          f"{'p95/base':>8} {'split':>6}  target")
    for r in results:
        p95 = r.quantile(0.95)
        verdict = "" if r is results[0] else ("ok" if p95 < 100 else "MISSED (p95 >= 100 ms)")
        print(f"{r.name:34} {len(r.latencies):8d} {r.errors:6d} {r.quantile(0.5):7.1f} {p95:7.1f} "
              f"{r.quantile(0.99):7.1f} {len(r.latencies) / r.seconds:7.1f} {p95 / base:8.1f} {r.split:>6}  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--needs", type=int, default=20_000)
    parser.add_argument("--offers", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0, help="at most this long per page")
    parser.add_argument("--requests", type=int, default=3000, help="at most this many requests per page")
    parser.add_argument("--reuse", action="store_true", help="reuse the bench database of an earlier run")
    parser.add_argument("--app", default="capmatch.app:serving_app",
                        help="the app factory to serve (to try a change side by side)")
    parser.add_argument("--only", default="", help="only the pages whose name contains this (and the baseline)")
    parser.add_argument("--setup-only", action="store_true", help="build the database and stop")
    args = parser.parse_args()

    engine = existing_database() if args.reuse else None
    if engine is None:
        engine = build_database(args.needs, args.offers, args.seed)
    else:
        print("reusing the bench database", DATABASE)
    prepare_officer(engine)
    t = targets(engine)
    print(f"run {t.run_id}: {t.run_pages * 50:,} proposals at most ({t.run_pages} pages of 50); "
          f"{len(t.need_ids):,} open needs")
    if args.setup_only:
        return
    url = engine.url
    engine.dispose()
    log_dir = REPO_ROOT / ".capmatch" / "bench"
    log_dir.mkdir(parents=True, exist_ok=True)
    for workers in args.workers:
        port = free_port()
        server = start_server(url, port, workers, log_dir / f"uvicorn-{workers}.log", args.app)
        print(f"uvicorn pid {server.pid} on port {port}", flush=True)
        try:
            cookie = sign_in(port)
            rng = random.Random(args.seed)
            results = []
            for name, paths in scenarios(t, rng):
                if args.only and args.only not in name and "baseline" not in name:
                    continue
                results.append(asyncio.run(hammer(name, paths, port=port, cookie=cookie, clients=args.clients,
                                                  requests=args.requests, seconds=args.seconds,
                                                  server_pid=server.pid)))
            report(workers, args.clients, results)
        finally:
            stop_server(server)


if __name__ == "__main__":
    main()
