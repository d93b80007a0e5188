"""Links and redirects built from route names, so a page's address is written once, on its route."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse


def path_for(request: Request, name: str, /, query: str | dict[str, Any] = "", **params: Any) -> str:
    """The path of the route called `name` (with its path parameters), and the query if any."""
    path = str(request.app.url_path_for(name, **{k: str(v) for k, v in params.items()}))
    if isinstance(query, dict):
        query = urlencode({k: v for k, v in query.items() if v not in (None, "")})
    return f"{path}?{query}" if query else path


def redirect_to(request: Request, name: str, /, query: str | dict[str, Any] = "", **params: Any) -> RedirectResponse:
    """A 303 to the route called `name`: what a form that succeeded answers."""
    return RedirectResponse(path_for(request, name, query, **params), status_code=303)
