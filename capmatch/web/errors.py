"""One place turns errors into responses: JSON under /api, a page elsewhere."""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from psycopg import errors as pg_errors
from sqlalchemy.exc import DBAPIError, IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from capmatch.errors import CapmatchError
from capmatch.i18n import N_, _
from capmatch.web.templating import render

log = logging.getLogger(__name__)

HTTP_CODES = {400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 422: "invalid", 429: "too_many_requests"}

# What PostgreSQL ends a transaction with when it lost a race that a retry would win.
RETRYABLE = (pg_errors.DeadlockDetected, pg_errors.SerializationFailure)


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def error_response(request: Request, status: int, message: str, *, code: str | None = None,
                   fields: list[dict] | None = None) -> object:
    code = code or HTTP_CODES.get(status, "error")
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if wants_json(request):
        body: dict = {"error": {"code": code, "message": message}}
        if fields:
            body["error"]["fields"] = fields
        return JSONResponse(body, status_code=status, headers=headers)
    template = f"errors/{status}.html" if status in (403, 404, 500) else "errors/error.html"
    return render(request, template, {"status": status, "message": message}, status_code=status)


def _field_path(loc: tuple) -> str:
    # ("body", "languages", 0, "level") -> "languages[0].level"; query parameters keep their name.
    parts = [p for p in loc if p not in ("body", "query", "path")]
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or str(loc[-1] if loc else "body")


# What a refusal of the framework's own says, by status.
STATUS_WORDS = {
    400: N_("The request failed."),
    404: N_("There is nothing at this address."),
    405: N_("This address does not accept that kind of request."),
}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(CapmatchError)
    def domain_error(request: Request, exc: CapmatchError):
        problems = getattr(exc, "problems", [exc])
        fields = [{"field": p.field, "message": p.message} for p in problems if p.field] or None
        return error_response(request, exc.status, exc.message, code=exc.code, fields=fields)

    @app.exception_handler(RequestValidationError)
    def invalid_request(request: Request, exc: RequestValidationError):
        errors = exc.errors()
        if any(tuple(err.get("loc", ()))[:1] == ("path",) for err in errors):
            # A path whose id is out of range (or no id at all) names no record: there is nothing here.
            return error_response(request, 404, _("There is nothing at this address."))
        fields = [
            {
                # A body that is not JSON at all is reported on the body, not on a character offset.
                "field": "body" if err.get("type") == "json_invalid" else _field_path(tuple(err.get("loc", ()))),
                "message": err.get("msg", "is invalid"),
            }
            for err in errors
        ]
        summary = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
        return error_response(request, 422, _("The request is invalid. {problems}", problems=summary), code="invalid",
                              fields=fields)

    @app.exception_handler(IntegrityError)
    def integrity_error(request: Request, exc: IntegrityError):
        # Services check what they can and name the field; this is the last line for races
        # (two requests creating the same name at once), which the database settles.
        constraint = getattr(getattr(exc.orig, "diag", None), "constraint_name", None)
        log.info("integrity error on %s: %s", constraint, exc.orig)
        return error_response(
            request, 409, _("The change conflicts with existing data ({constraint}).", constraint=constraint or "constraint"),
            code="conflict",
        )

    @app.exception_handler(DBAPIError)
    def database_error(request: Request, exc: DBAPIError):
        # Locks are taken in one order (proposals/ledger.py), so this should not happen; if a request
        # still loses a deadlock or a serialization race, its transaction was rolled back whole.
        if isinstance(exc.orig, RETRYABLE):
            log.warning("retryable database error on %s %s: %s", request.method, request.url.path, exc.orig)
            return error_response(
                request, 409, _("Someone else was changing the same records at the same moment, so nothing "
                                "was saved. Please try again."), code="conflict",
            )
        raise exc  # any other database error is a bug: AnswerServerErrors logs it and answers 500

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, exc: StarletteHTTPException):
        # Starlette's own refusals (no such route, a method the route does not take) carry the status's
        # English phrase as their detail: say it in the reader's words and language instead.
        detail = exc.detail if isinstance(exc.detail, str) else ""
        if not detail or detail == HTTPStatus(exc.status_code).phrase:
            detail = _(STATUS_WORDS.get(exc.status_code, STATUS_WORDS[400]))
        return error_response(request, exc.status_code, detail)

    app.add_middleware(AnswerServerErrors)


class AnswerServerErrors:
    """Answers an unexpected exception with the 500 page (or JSON) and lets the exception end here.

    Not an exception handler for Exception: Starlette's ServerErrorMiddleware, which runs that handler,
    re-raises after sending the 500 so that the server logs it, and uvicorn then closes the connection:
    a client's next request on the same keep-alive connection was reset. Logged here, the error is
    answered like any other and the connection carries on. Only when half a response has gone out does
    the exception go on (the connection cannot carry a broken response).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_noting_start(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, send_noting_start)
        except Exception as exc:
            if started:
                raise
            request = Request(scope, receive)
            log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
            response = error_response(request, 500, _("Something went wrong on our side. It has been logged."),
                                      code="internal")
            await response(scope, receive, send)
