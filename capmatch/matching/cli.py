"""`capmatch match ...`: run the matching engine from the command line."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from capmatch.auth.actor import SYSTEM
from capmatch.db import session_scope
from capmatch.errors import CapmatchError
from capmatch.matching import runs, service
from capmatch.matching.schemas import RunCreate

app = typer.Typer(help="Run the matching engine.", no_args_is_help=True)
console = Console()


@app.command("run")
def run(
    policy: str = typer.Option(None, help="Policy name (default: the default policy)"),
    queue: bool = typer.Option(False, "--queue", help="Hand the run to a background worker instead"),
) -> None:
    """Match open needs with available offers and print the run's figures."""
    try:
        with session_scope() as session:
            match_run = service.create_run(session, actor=SYSTEM, request=RunCreate(policy=policy))
            run_id = match_run.id
            if queue:
                runs.enqueue(session, run_id=run_id)
    except CapmatchError as exc:
        console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(2) from exc
    if queue:
        console.print(f"Queued match run {run_id}; a worker (`capmatch worker`) will execute it.")
        return
    with Progress(TextColumn("{task.description:<28}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                  TimeElapsedColumn(), console=console) as bar:
        task = bar.add_task("starting", total=1.0)

        def show(phase: str, fraction: float) -> None:
            bar.update(task, description=phase, completed=fraction)

        try:
            runs.execute(run_id, on_progress=show)
        except Exception as exc:  # the run is already marked failed with the reason
            console.print(f"[red]Match run {run_id} failed: {exc}[/red]")
            raise typer.Exit(1) from exc
    with session_scope() as session:
        done = service.get_run(session, actor=SYSTEM, run_id=run_id)
        console.print(
            f"Match run {run_id}: {done.positions_filled} of {done.positions_open} open positions filled, "
            f"total score {done.total_score:.2f}, South-South share {done.south_south_share:.0%}, "
            f"solved by {done.solver} in {done.solve_seconds:.2f}s"
            + (f", optimality gap {done.optimality_gap:.2%}" if done.optimality_gap else "")
        )
