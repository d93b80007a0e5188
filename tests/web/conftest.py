"""Web UI tests: sign in through the real login form, then read pages as a person would."""

from __future__ import annotations

from tests.web.html import csrf_of, parse


def form_token(client, path: str) -> str:
    """The CSRF token of the form on the page at `path`."""
    return csrf_of(parse(client.get(path).text))
