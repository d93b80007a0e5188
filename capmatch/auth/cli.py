"""`capmatch users ...`: create users, set their passwords and issue API tokens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import typer
from rich.console import Console

from capmatch.auth import service as auth_service
from capmatch.db import session_scope
from capmatch.errors import CapmatchError

app = typer.Typer(help="Create users and issue API tokens.", no_args_is_help=True)
console = Console()


@app.command("create")
def create(
    email: str,
    role: str = typer.Option(..., help="requester, provider, officer or admin"),
    organization_id: int = typer.Option(None, "--org", help="The organization's id (requesters and providers)"),
    full_name: str = typer.Option("", "--name"),
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
) -> None:
    """Create a user who can sign in."""
    try:
        with session_scope() as session:
            user = auth_service.create_user(
                session, email=email, full_name=full_name, role=role, password=password,
                organization_id=organization_id,
            )
            user_id = user.id
    except CapmatchError as exc:
        console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(2) from exc
    console.print(f"Created user {user_id} ({email}, {role}).")


@app.command("set-password")
def set_password(
    email: str,
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
) -> None:
    """Give a user a new password; it signs them out everywhere."""
    try:
        with session_scope() as session:
            user = auth_service.get_user_by_email(session, email=email)
            auth_service.set_password(session, user_id=user.id, password=password)
    except CapmatchError as exc:
        console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(2) from exc
    console.print(f"New password set for {email}; their sessions have ended.")


@app.command("token")
def token(
    email: str,
    name: str = typer.Option("cli", help="A label to recognise the token by"),
    days: int = typer.Option(None, "--days", min=1, max=3650, help="Stop working after this many days (default: never)"),
) -> None:
    """Issue a bearer token for the API. It is shown once; only its digest is stored."""
    expires_at = datetime.now(UTC) + timedelta(days=days) if days else None
    try:
        with session_scope() as session:
            user = auth_service.get_user_by_email(session, email=email)
            value = auth_service.issue_token(session, user_id=user.id, name=name, expires_at=expires_at)
    except CapmatchError as exc:
        console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(2) from exc
    print(value)
