"""The `capmatch` command."""

from __future__ import annotations

import subprocess
import sys

import typer
from rich.console import Console

from capmatch.auth import cli as users_cli
from capmatch.config import REPO_ROOT, get_settings
from capmatch.matching import cli as match_cli
from capmatch.seed.cli import app as seed_app

app = typer.Typer(help="CapMatch: match civilian expertise with the missions that need it.", no_args_is_help=True)
console = Console()
app.add_typer(users_cli.app, name="users")
app.add_typer(match_cli.app, name="match")

app.add_typer(seed_app, name="seed", help="Load reference data, the demo marketplace or a synthetic one.")


def upgrade_database() -> None:
    from alembic import command
    from alembic.config import Config

    command.upgrade(Config(str(REPO_ROOT / "alembic.ini")), "head")


@app.command("migrate")
def migrate() -> None:
    """Bring the database schema up to date (alembic upgrade head)."""
    upgrade_database()
    console.print("Database is at the latest schema.")


@app.command("serve")
def serve(
    host: str = typer.Option(None, help="Default: CAPMATCH_HOST or 127.0.0.1"),
    port: int = typer.Option(None, help="Default: PORT or 8000"),
    workers: int = typer.Option(1, help="Worker processes; the web tier keeps no state of its own"),
) -> None:
    """Serve the web app and the API."""
    import uvicorn

    from capmatch.db import get_engine

    settings = get_settings()
    get_engine()  # start (or join) the embedded database before the workers need it
    uvicorn.run(
        "capmatch.app:serving_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_level="info",
        proxy_headers=False,  # the app believes proxies itself, from CAPMATCH_TRUSTED_PROXIES (web/proxies.py)
    )


@app.command("worker")
def worker(concurrency: int = typer.Option(1, help="Jobs run at once by this worker")) -> None:
    """Run background jobs (match runs, periodic clean-ups). Start as many as you like, anywhere."""
    from capmatch.jobs.registry import worker_app

    job_app = worker_app()
    with job_app.open():
        job_app.run_worker(concurrency=concurrency, install_signal_handlers=True)


@app.command("demo")
def demo(port: int = typer.Option(None, help="Default: PORT or 8000")) -> None:
    """Migrate, load the demo marketplace (idempotently) and serve it."""
    from capmatch.db import session_scope
    from capmatch.seed.demo import load_demo
    from capmatch.seed.taxonomy import load_taxonomy

    upgrade_database()
    with session_scope() as session:
        load_taxonomy(session)
        load_demo(session)
    settings = get_settings()
    # The demo runs one background worker beside the web server, so match runs started from
    # the UI or the API execute; in production workers are separate processes (`capmatch worker`).
    worker_process = subprocess.Popen([sys.executable, "-m", "capmatch.cli", "worker"])
    console.print(f"CapMatch demo on http://{settings.host}:{port or settings.port}")
    try:
        serve(host=None, port=port, workers=1)
    finally:
        worker_process.terminate()
        try:
            worker_process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker_process.kill()


if __name__ == "__main__":
    app()
