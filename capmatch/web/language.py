"""The language of each request: chosen before any route runs, told in the response.

A pure ASGI middleware reads the switcher's cookie, else the Accept-Language header, else takes
English; the session then puts a signed-in user's own preference first (capmatch.web.session).
The response says which it is in (Content-Language) and that it depends on both (Vary).
"""

from __future__ import annotations

from http.cookies import SimpleCookie

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from capmatch.i18n import locales

COOKIE = "capmatch_language"
COOKIE_MAX_AGE = 365 * 24 * 3600


def request_language(cookie_header: str | None, accept_language: str | None) -> str:
    """The switcher's cookie, else the browser's preference, else English."""
    if cookie_header:
        cookie = SimpleCookie()
        try:
            cookie.load(cookie_header)
        except Exception:  # noqa: BLE001 (a malformed Cookie header is the browser's: ignore it)
            cookie = SimpleCookie()
        morsel = cookie.get(COOKIE)
        if morsel is not None and (chosen := locales.supported(morsel.value)):
            return chosen
    return locales.negotiate(accept_language) or locales.DEFAULT


class RequestLanguage:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookie_header = accept = None
        for key, value in scope["headers"]:
            if key == b"cookie":
                cookie_header = value.decode("latin-1")
            elif key == b"accept-language":
                accept = value.decode("latin-1")
        choice = locales.begin(request_language(cookie_header, accept))

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Language"] = choice.code
                headers.add_vary_header("Accept-Language")
                headers.add_vary_header("Cookie")
            await send(message)

        await self.app(scope, receive, send_with_language)


def install_language(app: FastAPI) -> None:
    app.add_middleware(RequestLanguage)
