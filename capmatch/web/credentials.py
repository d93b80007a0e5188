"""An API write that carries no credentials at all is answered 401 before anything reads its body.

FastAPI parses and validates a body before (or beside) the dependencies that find out who is asking,
so an anonymous POST with a bad body used to get a 422 listing the body's mistakes: it should be told
to sign in first. This runs inside the session middleware, before routing: a request with neither an
Authorization header nor a signed-in session is stopped here. One with a token or a session goes on,
and the token (deps.optional_actor) or the session (web.session) is checked as before.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from capmatch.web.csrf import SAFE_METHODS
from capmatch.web.errors import error_response
from capmatch.i18n import _

API_PREFIX = "/api/"


def carries_credentials(scope: Scope) -> bool:
    if any(name == b"authorization" for name, _ in scope.get("headers", ())):
        return True
    return "uid" in scope.get("session", {})


class WritesNeedCredentials:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["path"].startswith(API_PREFIX)
            and scope["method"] not in SAFE_METHODS
            and not carries_credentials(scope)
        ):
            request = Request(scope, receive)
            response = error_response(request, 401, _("Sign in or send a bearer token to do this."),
                                      code="not_authenticated")
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
