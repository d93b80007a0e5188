"""The home page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from capmatch.reports.queries import marketplace_summary
from capmatch.web.deps import DbSession
from capmatch.web.templating import render

router = APIRouter()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request, session: DbSession):
    return render(request, "reports/home.html", {"summary": marketplace_summary(session)})


@router.get("/healthz", include_in_schema=False)
def healthz() -> dict[str, str]:
    return {"status": "ok"}
