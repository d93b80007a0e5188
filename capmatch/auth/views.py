"""Signing in and out of the web UI (the API uses bearer tokens instead)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from capmatch.auth import login as login_service
from capmatch.config import get_settings
from capmatch.i18n import _
from capmatch.web.deps import DbSession
from capmatch.web.forms import Form, FormErrors, text
from capmatch.web.session import safe_next, sign_in, sign_out
from capmatch.web.templating import render

router = APIRouter(include_in_schema=False)

# Where each role lands after signing in, unless the login page was reached from another page.
HOME_BY_ROLE = {"requester": "/my/needs", "provider": "/roster", "officer": "/officer", "admin": "/admin"}


def demo_accounts() -> tuple[list, str | None]:
    """The seeded demo accounts and their password, listed on the login page in development only."""
    if get_settings().env != "development":
        return [], None
    try:
        from capmatch.seed import demo
    except ImportError:  # an install without the demo data
        return [], None
    return list(getattr(demo, "DEMO_USERS", ())), getattr(demo, "DEMO_PASSWORD", None)


def login_page(request: Request, *, email: str = "", next_url: str = "", errors: FormErrors | None = None,
               status_code: int = 200):
    users, password = demo_accounts()
    return render(request, "auth/login.html", {
        "values": {"email": email}, "next": next_url, "errors": errors or {}, "demo_users": users,
        "demo_password": password,
    }, status_code=status_code)


@router.get("/login")
def login_form(request: Request, next: str = ""):
    if getattr(request.state, "actor", None) is not None:
        return RedirectResponse(safe_next(next, "/"), status_code=303)
    return login_page(request, next_url=safe_next(next, ""))


@router.post("/login")
def login(request: Request, session: DbSession, form: Form):
    email, password, next_url = text(form, "email"), form.get("password") or "", safe_next(text(form, "next"), "")
    # The peer, or the client a trusted proxy names (CAPMATCH_TRUSTED_PROXIES, see capmatch.web.proxies).
    address = request.client.host if request.client else "unknown"
    result = login_service.authenticate(session, email=email, password=str(password), address=address)
    if result.actor is None:
        errors = FormErrors()
        errors.add("", result.error or _("Sign-in failed."))
        if result.retry_after is not None:
            response = login_page(request, email=email, next_url=next_url, errors=errors, status_code=429)
            response.headers["Retry-After"] = str(result.retry_after)
            return response
        # The failed attempt is committed with the request: that is what the throttle counts.
        return login_page(request, email=email, next_url=next_url, errors=errors, status_code=400)
    sign_in(request, result)
    return RedirectResponse(next_url or HOME_BY_ROLE.get(result.actor.role, "/"), status_code=303)


@router.post("/logout")
def logout(request: Request, session: DbSession):
    sign_out(request, session)
    return RedirectResponse("/", status_code=303)
