"""What the filtered, paged listings share: one URL answers the full page or, to htmx, its rows."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import Query, Request

from capmatch.sorting import Sort
from capmatch.web.templating import render

# A free-text filter from the query string.
Text = Annotated[str, Query(max_length=200)]


def wants_partial(request: Request) -> bool:
    # History restores ask for the whole page even though htmx sends them.
    return request.headers.get("hx-request") == "true" and not request.headers.get("hx-history-restore-request")


def query_without_page(params: dict[str, str | None]) -> str:
    return urlencode({k: v for k, v in params.items() if v})


def listing(request: Request, page_template: str, rows_template: str, context: dict):
    response = render(request, rows_template if wants_partial(request) else page_template, context)
    response.headers["Vary"] = "HX-Request"  # the same URL answers two shapes
    return response


def blank(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def here(request: Request) -> str:
    """The path and query of this request, to come back to after a form."""
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


def list_controls(params: dict[str, str | None], sort: Sort | None, default: Sort | None) -> dict:
    """What a list's filter box and sortable headers need beside the rows.

    `sort` is the order asked for (None when none or an unknown one was), `default` the order shown then
    (None for a search's best match first); a header's link keeps the filters and starts again at page 1.
    """
    filters = {name: value for name, value in params.items() if name != "sort"}
    return {"sort": sort or default, "sort_query": query_without_page(filters), "filtered": any(filters.values())}
