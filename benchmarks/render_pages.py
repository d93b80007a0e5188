"""Render a fixed set of pages over the demo data and save their HTML, to compare two checkouts.

Run it from inside a checkout, with that checkout's code first on the import path; the same
script renders the old and the new code:

    git worktree add ../capmatch-before OLD_COMMIT
    (cd ../capmatch-before && PYTHONPATH=. ../capmatch/.venv/bin/python \\
        ../capmatch/benchmarks/render_pages.py --database capmatch_render_before --out /tmp/render/before)
    PYTHONPATH=. .venv/bin/python benchmarks/render_pages.py --database capmatch_render_main --out /tmp/render/main
    diff -r /tmp/render/before /tmp/render/main

A page's NAME.html differs if anything in it does; its NAME.norm.html only if more than whitespace does.

The code rendered is the checkout's files as they are (a working tree with edits in progress
included); to render one commit, `git archive COMMIT | tar -x -C DIR` and run from DIR with
PYTHONPATH=DIR. The database is dropped at the end (--keep-database keeps it).

What it does, using only what both layouts have (the `capmatch` CLI, capmatch.app.create_app,
capmatch.db, the settings' CAPMATCH_DATABASE_URL / DATABASE_URL, and the pages' URLs and form fields):

1. drops and creates `--database` on the `--database-url` server, and points the settings at it;
2. runs the checkout's own CLI in subprocesses: `migrate`, `seed demo` (taxonomy + demo marketplace),
   `match run` (the default policy, executed inline: the demo seed makes no run);
3. builds the app with create_app() and drives it with fastapi.testclient.TestClient, signing in
   through the /login form (CSRF token from the form, DEMO_PASSWORD from capmatch.seed.demo);
4. moves a few of the run's proposals along through the pages' own forms, so the inboxes have
   something in each state: the officer approves up to four proposals of one requester (the demo
   requester with most proposals whose offers' providers have a demo user), the requester accepts
   two and declines one, the provider of the first accepted one confirms the release;
5. GETs the pages (public, officer, requester, provider) and writes one NAME.html per page, and a
   whitespace-normalized NAME.norm.html beside it; prints each page's status and size.

Same data in both runs: the demo seed reads only seed/ (seed/demo/offers.json is generated offline
with a fixed random seed and committed), ids come from a fresh database's sequences, and the steps
above are always the same. The one input from the clock is today's date, which the match run uses
for availability and lead times (and deadlines are now + answer_deadline_days): run both checkouts
on the same day (UTC) and they get the same run. (Checked: two runs of one checkout a minute apart
write identical files.)

Normalized in the saved .html (nothing else is touched, whitespace included):
- CSRF tokens (every `name="csrf_token" value=...`, and any other occurrence of a token the session
  was given) -> [csrf];
- clock timestamps: a <time> whose datetime attribute has a time of day (created_at, occurred_at,
  deadline_at; not the data's dates) gets datetime="[datetime]" and each digit of its text -> 9,
  so its format is still compared; any other ISO date-and-time in the page (an audit event's data)
  -> [datetime];
- the run's measured solve time (<dt>Solve time</dt><dd>0.04 s</dd>) -> digits 9.
The .norm.html copy also turns every run of whitespace into one space and puts each tag on its own
line, so `diff` of the .norm files shows differences other than whitespace (note that a space
between two inline tags can show on the page; the .norm copy drops it).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import warnings
from datetime import date, datetime, timezone
from pathlib import Path

DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")

CSRF_FIELD = re.compile(r'(name="csrf_token" value=")([^"]*)(")')
CLOCK_TIME = re.compile(r'<time datetime="(\d{4}-\d\d-\d\dT[^"]*)">(.*?)</time>', re.S)
ISO_DATETIME = re.compile(r"\b\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?")
SOLVE_TIME = re.compile(r"(<dt>Solve time</dt><dd>)([^<]*)(</dd>)")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_SERVER,
                        help=f"PostgreSQL server to create the database on (default {DEFAULT_SERVER})")
    parser.add_argument("--database", required=True, help="name of the database to create afresh")
    parser.add_argument("--out", required=True, type=Path, help="directory for the pages' HTML")
    parser.add_argument("--keep-database", action="store_true", help="do not drop the database at the end")
    return parser.parse_args()


# --- the database and the checkout's CLI ------------------------------------------------------------


def admin_engine(server_url: str):
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    url = make_url(server_url)
    if url.drivername in ("postgres", "postgresql", "postgresql+psycopg2"):
        url = url.set(drivername="postgresql+psycopg")
    return sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool), url


def recreate_database(server_url: str, name: str, *, create: bool = True) -> str:
    """Drop `name` (and, by default, create it empty); return its URL."""
    import sqlalchemy as sa

    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise SystemExit(f"--database {name!r}: use letters, digits and underscores")
    engine, url = admin_engine(server_url)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            if create:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def configure_environment(database_url: str) -> None:
    """The settings read these (DATABASE_URL wins over CAPMATCH_DATABASE_URL): the same for both runs."""
    for key in list(os.environ):
        if key.startswith("CAPMATCH_"):
            del os.environ[key]
    os.environ["DATABASE_URL"] = database_url
    os.environ["CAPMATCH_DATABASE_URL"] = database_url
    os.environ["CAPMATCH_ENV"] = "development"
    os.environ["CAPMATCH_SECRET_KEY"] = "render-pages-comparison-key"
    for key in THREAD_VARS:  # the solver's numpy/scipy: one thread, the machine is shared
        os.environ[key] = "1"


def cli(repo_root: Path, *args: str) -> str:
    command = [sys.executable, "-m", "capmatch.cli", *args]
    env = {**os.environ, "COLUMNS": "200"}  # rich wraps its output at the terminal's width
    done = subprocess.run(command, cwd=repo_root, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"{' '.join(command[2:])} failed with exit code {done.returncode}")
    return done.stdout


# --- signing in and driving the forms ----------------------------------------------------------------


def csrf_of(html: str) -> str:
    found = CSRF_FIELD.search(html)
    if not found:
        raise SystemExit("no csrf_token field on the page")
    return found.group(2)


class Browser:
    """One person's cookie jar on the app; remembers the CSRF tokens its pages carried."""

    tokens: set[str] = set()  # every browser's, to take out of every page

    def __init__(self, app, email: str | None = None, password: str | None = None) -> None:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
            from fastapi.testclient import TestClient

        self.client = TestClient(app, follow_redirects=False)
        self.email = email
        if email is not None:
            self.sign_in(email, password or "")

    def get(self, path: str):
        response = self.client.get(path)
        for token in CSRF_FIELD.findall(response.text):
            Browser.tokens.add(token[1])
        return response

    def sign_in(self, email: str, password: str) -> None:
        token = csrf_of(self.get("/login").text)
        response = self.client.post("/login", data={"email": email, "password": password, "csrf_token": token})
        if response.status_code != 303:
            raise SystemExit(f"signing in as {email}: {response.status_code}\n{response.text[:2000]}")
        self.get(response.headers["location"])  # the home page of the role; nothing kept

    def submit(self, form_page: str, action: str, data: dict) -> None:
        """Post a form as the page `form_page` would (with its CSRF token), then follow the redirect,
        so the flash message is shown (and used up) there, not on a page we save."""
        token = csrf_of(self.get(form_page).text)
        response = self.client.post(action, data={**data, "csrf_token": token})
        if response.status_code != 303:
            raise SystemExit(f"{self.email}: POST {action} {data}: {response.status_code}\n{response.text[:3000]}")
        self.get(response.headers["location"])


def pick_scenario(engine, run_id: int) -> dict:
    """The requester, proposals and provider the forms act on; the same on the same data."""
    import sqlalchemy as sa

    with engine.connect() as conn:
        users = conn.execute(sa.text(
            "SELECT DISTINCT ON (organization_id, role) organization_id, role, email FROM users"
            " WHERE organization_id IS NOT NULL AND is_active ORDER BY organization_id, role, id")).all()
        requesters = {org: email for org, role, email in users if role == "requester"}
        providers = {org: email for org, role, email in users if role == "provider"}
        rows = conn.execute(sa.text(
            "SELECT p.id, n.requester_org_id, o.provider_org_id, p.need_id, p.offer_id"
            " FROM proposals p JOIN needs n ON n.id = p.need_id JOIN offers o ON o.id = p.offer_id"
            " WHERE p.run_id = :run AND p.status = 'proposed' ORDER BY p.score DESC, p.id"), {"run": run_id}).all()
    usable = [r for r in rows if r.requester_org_id in requesters and r.provider_org_id in providers]
    if not usable:
        raise SystemExit(f"match run {run_id} made no proposal between demo users' organizations")
    counts: dict[int, int] = {}
    for r in usable:
        counts[r.requester_org_id] = counts.get(r.requester_org_id, 0) + 1
    org = min(counts, key=lambda o: (-counts[o], o))
    chosen = [r for r in usable if r.requester_org_id == org][:4]
    return {
        "requester": requesters[org], "approve": [r.id for r in chosen],
        "accept": [r.id for r in chosen[:2]], "decline": [r.id for r in chosen[2:3]],
        "provider": providers[chosen[0].provider_org_id], "provider_org": chosen[0].provider_org_id,
        "need": chosen[0].need_id, "offer": chosen[0].offer_id,
    }


# --- normalizing and saving ---------------------------------------------------------------------------


def _mask_digits(text: str) -> str:
    return re.sub(r"\d", "9", text)


def normalize(html: str) -> str:
    html = CSRF_FIELD.sub(r"\1[csrf]\3", html)
    for token in sorted(Browser.tokens, key=len, reverse=True):
        if token:
            html = html.replace(token, "[csrf]")
    html = CLOCK_TIME.sub(lambda m: f'<time datetime="[datetime]">{_mask_digits(m.group(2))}</time>', html)
    html = ISO_DATETIME.sub("[datetime]", html)  # e.g. an audit event's data: "deadline at: 2026-...T11:03:21+00:00"
    html = SOLVE_TIME.sub(lambda m: m.group(1) + _mask_digits(m.group(2)) + m.group(3), html)
    return html


def whitespace_normalized(html: str) -> str:
    text = re.sub(r"\s+", " ", html)
    text = re.sub(r"\s*(<[^>]*>)\s*", r"\n\1\n", text)
    return "\n".join(line for line in text.split("\n") if line.strip()) + "\n"


# --- the pages -----------------------------------------------------------------------------------------


def main() -> int:
    args = parse_args()
    try:
        os.nice(5)  # children (the CLI commands) inherit it
    except OSError:
        pass
    out: Path = args.out
    database_url = recreate_database(args.database_url, args.database)
    configure_environment(database_url)

    import capmatch
    from capmatch.config import REPO_ROOT

    repo_root = Path(REPO_ROOT)
    print(f"capmatch from {Path(capmatch.__file__).parent} (checkout {repo_root}); database {args.database};"
          f" today {date.today().isoformat()} (UTC {datetime.now(timezone.utc):%Y-%m-%d %H:%M})")
    if Path.cwd().resolve() != repo_root.resolve():
        print(f"warning: the current directory is not the checkout whose code is imported ({repo_root})")

    try:
        cli(repo_root, "migrate")
        cli(repo_root, "seed", "demo")
        match_out = cli(repo_root, "match", "run")
        print(" ".join(line.strip() for line in match_out.splitlines() if line.strip().startswith("Match run")))
        status = render_all(args, out)
    finally:
        try:
            from capmatch import db

            db.get_engine().dispose()
        except Exception:  # noqa: BLE001  (the app may never have connected)
            pass
        if not args.keep_database:
            recreate_database(args.database_url, args.database, create=False)
    return status


def render_all(args: argparse.Namespace, out: Path) -> int:
    import sqlalchemy as sa

    from capmatch.app import create_app
    from capmatch.db import get_engine
    from capmatch.seed.demo import DEMO_PASSWORD

    engine = get_engine()
    with engine.connect() as conn:
        run_id = conn.scalar(sa.text("SELECT max(id) FROM match_runs WHERE status = 'succeeded'"))
        officer_email = conn.scalar(sa.text(
            "SELECT email FROM users WHERE role = 'officer' AND is_active ORDER BY id LIMIT 1"))
        first_need = conn.scalar(sa.text("SELECT min(id) FROM needs WHERE status IN ('open', 'partially_filled')"))
        first_offer = conn.scalar(sa.text("SELECT min(id) FROM offers WHERE status = 'available'"))
        area, country = conn.execute(sa.text(
            "SELECT area_code, duty_country_iso3 FROM needs WHERE id = :id"), {"id": first_need}).one()
    if run_id is None:
        raise SystemExit("the match run did not succeed")
    scenario = pick_scenario(engine, run_id)

    app = create_app()
    public = Browser(app)
    officer = Browser(app, officer_email, DEMO_PASSWORD)
    requester = Browser(app, scenario["requester"], DEMO_PASSWORD)
    provider = Browser(app, scenario["provider"], DEMO_PASSWORD)

    run_page = f"/officer/runs/{run_id}"
    officer.submit(run_page, run_page, {"action": "approve", "ids": scenario["approve"], "reason": ""})
    for pid in scenario["accept"]:
        requester.submit("/my/proposals", f"/my/proposals/{pid}/accept", {"page": "1"})
    for pid in scenario["decline"]:
        requester.submit("/my/proposals", f"/my/proposals/{pid}/decline",
                         {"page": "1", "reason": "The mission has filled this post from its own staff."})
    provider.submit("/provider/proposals", f"/provider/proposals/{scenario['accept'][0]}",
                    {"action": "confirm", "page": "1"})
    print(f"run {run_id}; officer {officer_email} approved {scenario['approve']}; requester {scenario['requester']}"
          f" accepted {scenario['accept']}, declined {scenario['decline']}; provider {scenario['provider']}"
          f" confirmed {scenario['accept'][0]}")

    need, offer, org = scenario["need"], scenario["offer"], scenario["provider_org"]
    pages: list[tuple[str, Browser, str]] = [
        ("public_home", public, "/"),
        ("public_login", public, "/login"),
        ("public_needs", public, "/needs"),
        ("public_needs_page2", public, "/needs?page=2"),
        ("public_needs_filter_area_country", public, f"/needs?area={area}&country={country}"),
        ("public_needs_filter_urgency_q", public, "/needs?urgency=high&q=justice"),
        ("public_need_detail", public, f"/needs/{need}"),
        ("public_need_detail_first", public, f"/needs/{first_need}"),
        ("public_offers", public, "/offers"),
        ("public_offers_page2", public, "/offers?page=2"),
        ("public_offers_filter_kind_language", public, "/offers?kind=individual_expert&language=fr"),
        ("public_offer_detail", public, f"/offers/{offer}"),
        ("public_offer_detail_first", public, f"/offers/{first_offer}"),
        ("officer_dashboard", officer, "/officer"),
        ("officer_runs", officer, "/officer/runs"),
        ("officer_run", officer, run_page),
        ("officer_run_sort_ascending", officer, f"{run_page}?tab=proposals&sort=-score"),
        ("officer_run_gaps", officer, f"{run_page}?tab=gaps"),
        ("officer_run_new", officer, "/officer/runs/new"),
        ("officer_proposals", officer, "/officer/proposals"),
        ("officer_proposals_approved", officer, "/officer/proposals?status=approved&status=accepted"),
        ("officer_match", officer, f"/officer/match?need_id={need}&offer_id={offer}"),
        ("officer_audit_proposal", officer, f"/officer/audit?entity=proposal&id={scenario['accept'][0]}"),
        ("officer_roster_choose", officer, "/roster"),
        ("officer_roster_org", officer, f"/roster?org={org}"),
        ("officer_provider_proposals_org", officer, f"/provider/proposals?org={org}"),
        ("requester_proposals", requester, "/my/proposals"),
        ("requester_proposals_provider", requester, "/my/proposals?view=provider"),
        ("requester_needs", requester, "/my/needs"),
        ("requester_need_detail_own", requester, f"/needs/{need}"),
        ("requester_notifications", requester, "/notifications"),
        ("provider_proposals", provider, "/provider/proposals"),
        ("provider_proposals_agreed", provider, "/provider/proposals?view=agreed"),
        ("provider_proposals_closed", provider, "/provider/proposals?view=closed"),
        ("provider_roster", provider, "/roster"),
        ("provider_notifications", provider, "/notifications"),
    ]
    # The run's further pages, if it has them (50 proposals a page).
    first = officer.get(run_page).text
    if 'class="pagination"' in first:
        pages.insert(pages.index(("officer_run", officer, run_page)) + 1,
                     ("officer_run_page2", officer, f"{run_page}?tab=proposals&sort=score&page=2"))

    out.mkdir(parents=True, exist_ok=True)
    for stale in list(out.glob("*.html")):
        stale.unlink()
    responses = [(name, path, browser.get(path)) for name, browser, path in pages]
    failures = 0
    print(f"{'page':<38} {'status':>6} {'bytes':>8}  path")
    for name, path, response in responses:  # every page fetched first: all tokens are known
        html = normalize(response.text)
        raw = html.encode()
        (out / f"{name}.html").write_bytes(raw)
        (out / f"{name}.norm.html").write_text(whitespace_normalized(html), encoding="utf-8")
        failures += response.status_code != 200
        print(f"{name:<38} {response.status_code:>6} {len(raw):>8}  {path}")
    print(f"{len(responses)} pages in {out}" + (f"; {failures} not 200" if failures else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
