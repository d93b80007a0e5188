"""CSRF protection: a random token per session, required on every unsafe request the cookie could forge.

A form carries it in a hidden `csrf_token` field; a script (htmx, fetch) sends it in the
X-CSRF-Token header. A request with an Authorization header is exempt: a bearer token is not sent
by the browser on its own, so another site cannot ride on it. An API call with neither a bearer
token nor a session cookie is left to the API, which answers 401.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request

from capmatch.errors import Forbidden
from capmatch.i18n import _

FIELD = "csrf_token"
HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class CsrfFailed(Forbidden):
    code = "csrf_failed"


def csrf_token(request: Request) -> str:
    """The session's token, created on first use (so pages without forms set no cookie)."""
    if "session" not in request.scope:
        return ""
    token = request.session.get("csrf")
    if not token:
        token = rotate_csrf_token(request)
    return token


def rotate_csrf_token(request: Request) -> str:
    token = secrets.token_urlsafe(32)
    request.session["csrf"] = token
    return token


async def csrf_protect(request: Request) -> None:
    if request.method in SAFE_METHODS or request.headers.get("authorization"):
        return
    session = request.session if "session" in request.scope else {}
    if request.url.path.startswith("/api/") and not session:
        return  # no (valid) session cookie: nothing ambient to forge
    expected = session.get("csrf")
    sent = request.headers.get(HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(FORM_TYPES):
        # Starlette caches the parsed form on the request: the view reads the same one.
        value = (await request.form()).get(FIELD)
        sent = value if isinstance(value, str) else None
    if not expected or not sent or not hmac.compare_digest(expected.encode(), sent.encode()):
        raise CsrfFailed(
            _("This form has expired or did not come from CapMatch. Go back, reload the page and try again."),
            status=403,
        )
