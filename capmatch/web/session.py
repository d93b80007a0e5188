"""Signed cookie sessions: who is signed in, their CSRF token and one-shot flash messages.

The cookie is Starlette's SessionMiddleware: JSON signed with the settings' secret key (itsdangerous,
timestamped), HttpOnly, SameSite=Lax, Secure in production. Nothing lives on the server, so any
number of web workers can serve any request. The cookie holds the user's id and their session
version; each request re-reads the user (one read by primary key, which it makes anyway), and a
cookie whose version is no longer the user's is signed out. Signing out, changing the password or
deactivating the account moves the version on, so those sessions end at once, copies of the
cookie included, rather than when the cookie expires.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse
from starlette.middleware.sessions import SessionMiddleware

from capmatch.auth.actor import Actor
from capmatch.auth.login import LoginResult, end_sessions, session_user
from capmatch.config import get_settings
from capmatch.i18n import locales
from capmatch.errors import Forbidden, NotAuthenticated
from capmatch.web.csrf import csrf_protect, csrf_token, rotate_csrf_token
from capmatch.web.deps import DbSession
from capmatch.web.forms import field_id
from capmatch.web.templating import templates
from capmatch.i18n import N_, _

SESSION_COOKIE = "capmatch_session"
MAX_AGE_SECONDS = 12 * 3600  # a working day; then sign in again


class LoginRequired(NotAuthenticated):
    """Raised by a page that needs a signed-in person; answered with a redirect to /login."""


def has_session(request: Request) -> bool:
    return "session" in request.scope


def load_session_actor(request: Request, session: DbSession) -> None:
    """Sets request.state.actor (and what the navigation shows) from the session cookie."""
    request.state.actor = None
    request.state.user_name = None
    request.state.unread_notifications = 0
    if not has_session(request) or request.headers.get("authorization"):
        return  # a bearer token speaks for itself; deps.optional_actor checks it
    user_id, version = request.session.get("uid"), request.session.get("ver")
    if not isinstance(user_id, int) or not isinstance(version, int):
        return
    found = session_user(session, user_id=user_id, version=version)
    if found is None:
        # Signed out, deactivated, deleted or the password changed since: the session ends here.
        request.session.clear()
        return
    request.state.actor = found.actor
    request.state.user_name = found.full_name
    request.state.unread_notifications = found.unread_notifications
    locales.choose(found.language)  # the user's own choice comes before the cookie and the browser's


# Every route runs these first: CSRF before anything reads the session's actor.
WEB_DEPENDENCIES = [Depends(csrf_protect), Depends(load_session_actor)]


def sign_in(request: Request, result: LoginResult) -> None:
    assert result.actor is not None
    # A fresh session (and CSRF token) on sign-in: nothing planted before it carries over.
    request.session.clear()
    request.session["uid"] = result.actor.user_id
    request.session["ver"] = result.session_version
    rotate_csrf_token(request)


def sign_out(request: Request, session: DbSession) -> None:
    """Ends this user's sessions everywhere: a copy of the cookie no longer signs in either."""
    actor = getattr(request.state, "actor", None)
    if actor is not None:
        end_sessions(session, user_id=actor.user_id)
    request.session.clear()


def flash(request: Request, message: str, kind: str = "ok") -> None:
    request.session["flash"] = [*request.session.get("flash", []), [kind, message]]


def pop_flashes(request: Request) -> list[tuple[str, str]]:
    if not has_session(request) or "flash" not in request.session:
        return []
    return [(kind, message) for kind, message in request.session.pop("flash")]


def safe_next(target: str | None, default: str = "/") -> str:
    """Only same-site paths: a crafted ?next= must not bounce a user to another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


# --- what pages ask for -----------------------------------------------------------------------


# These two are async although they wait for nothing: FastAPI runs a plain def dependency in its
# thread pool, and the hand-off there and back cost more than the check (load_session_actor has
# already read the actor).


async def signed_in(request: Request) -> Actor:
    return _signed_in(request)


def _signed_in(request: Request) -> Actor:
    actor = getattr(request.state, "actor", None)
    if actor is None:
        raise LoginRequired(_("Sign in to see this page."))
    return actor


# Who a page is for, as its refusal says it.
FOR_ROLES = {
    ("requester",): N_("This page is for requesters."),
    ("officer", "admin"): N_("This page is for officers and admins."),
    ("admin",): N_("This page is for admins."),
    ("provider", "officer", "admin"): N_("This page is for providers, officers and admins."),
}


def role_dependency(*roles: str):
    async def require(request: Request) -> Actor:
        actor = _signed_in(request)
        if actor.role not in roles:
            raise Forbidden(_(FOR_ROLES.get(roles, N_("This page is not for your role."))))
        return actor

    return require


CurrentUser = Annotated[Actor, Depends(signed_in)]
CurrentRequester = Annotated[Actor, Depends(role_dependency("requester"))]
CurrentOfficer = Annotated[Actor, Depends(role_dependency("officer", "admin"))]
CurrentAdmin = Annotated[Actor, Depends(role_dependency("admin"))]


def install_sessions(app: FastAPI) -> None:
    """Adds the session middleware and the login redirect; create_app also passes WEB_DEPENDENCIES."""
    settings = get_settings()
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=MAX_AGE_SECONDS,
        same_site="lax",
        https_only=settings.env == "production",
    )

    @app.exception_handler(LoginRequired)
    def to_login(request: Request, exc: LoginRequired):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        location = "/login" if request.method != "GET" else f"/login?next={quote(target, safe='/')}"
        return RedirectResponse(location, status_code=303)


templates.env.globals.update(csrf_token=csrf_token, flashes=pop_flashes, field_id=field_id)
