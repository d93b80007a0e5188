"""`capmatch seed ...`: load the taxonomies, the demo marketplace, or a synthetic one for load tests."""

from __future__ import annotations

import time

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from capmatch.db import session_scope
from capmatch.errors import CapmatchError

app = typer.Typer(help="Load reference data, the demo marketplace, or a large synthetic marketplace.", no_args_is_help=True)
console = Console()


def _print_counts(title: str, counts: dict[str, object]) -> None:
    table = Table(title=title)
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, value in counts.items():
        table.add_row(name, str(value))
    console.print(table)


@app.command()
def taxonomy() -> None:
    """Load (or refresh) capacity clusters and areas, countries and languages from seed/."""
    from capmatch.seed.taxonomy import load_taxonomy

    with session_scope() as session:
        counts = load_taxonomy(session)
    _print_counts("Taxonomy", vars(counts))


@app.command()
def demo() -> None:
    """Load the taxonomy, then the demo marketplace (safe to run again: nothing is duplicated)."""
    from capmatch.seed.demo import DEMO_PASSWORD, DEMO_USERS, load_demo
    from capmatch.seed.taxonomy import load_taxonomy

    with session_scope() as session:
        load_taxonomy(session)
        counts = load_demo(session)
    _print_counts("Demo marketplace", counts.as_dict())
    console.print(f"{len(DEMO_USERS)} demo users, password [bold]{DEMO_PASSWORD}[/bold], e.g. "
                  + ", ".join(user.email for user in DEMO_USERS[:4]))


@app.command()
def synthetic(
    needs: int = typer.Option(20_000, min=1, help="Number of needs to generate."),
    offers: int = typer.Option(200_000, min=1, help="Number of offers to generate."),
    seed: int = typer.Option(1, help="Random seed: the same seed gives the same marketplace."),
    replace: bool = typer.Option(False, "--replace", help="Delete earlier synthetic rows first."),
) -> None:
    """Generate a large synthetic marketplace shaped like the demo and load it with COPY."""
    from capmatch.seed.synthetic_load import load_synthetic

    started = time.perf_counter()
    columns = (TextColumn("{task.description:<16}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as bar:
        tasks: dict[str, int] = {}

        def progress(table: str, done: int, total: int) -> None:
            if table not in tasks:
                tasks[table] = bar.add_task(table, total=total)
            bar.update(tasks[table], completed=done)

        try:
            with session_scope() as session:
                counts = load_synthetic(session, needs=needs, offers=offers, seed=seed, replace=replace,
                                        progress=progress)
        except CapmatchError as error:
            console.print(f"[red]{error.message}[/red]")
            raise typer.Exit(1) from None
    _print_counts("Synthetic marketplace", {k: v for k, v in vars(counts).items() if k != "seconds"})
    console.print(f"Loaded in {time.perf_counter() - started:.1f} s (seed {seed}).")
