"""Jinja2 templates shared by every view."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates

from capmatch.config import REPO_ROOT

templates = Jinja2Templates(directory=str(REPO_ROOT / "templates"))


def render(request: Request, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200):
    ctx = {"actor": getattr(request.state, "actor", None)}
    ctx.update(context or {})
    return templates.TemplateResponse(request, name, ctx, status_code=status_code)
