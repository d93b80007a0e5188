"""The signed-in person's profile page, /account: name, language and which notices come by e-mail."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from capmatch.config import get_settings
from capmatch.errors import NotFound
from capmatch.i18n import LANGUAGES, _

from capmatch.notifications.models import NOTIFICATION_KINDS
from capmatch.profiles import service
from capmatch.profiles.schemas import ProfileUpdate
from capmatch.web.deps import DbSession
from capmatch.web.forms import Form, FormErrors, save, schema_text, validate
from capmatch.web.labels import ACCOUNT_OPTIONS, label
from capmatch.web.links import path_for, redirect_to
from capmatch.web.language import COOKIE, COOKIE_MAX_AGE
from capmatch.web.session import CurrentUser, flash, safe_next
from capmatch.web.templating import render

router = APIRouter(include_in_schema=False)

FIELDS = {"full_name", "language", "email_kinds"}


def _page(request: Request, session, actor, *, values=None, errors=None, status_code: int = 200):
    profile = service.get_profile(session, actor=actor)
    if values is None:
        values = {"full_name": profile.full_name, "language": profile.language,
                  "email_kinds": [kind for kind, on in profile.email_kinds.items() if on]}
    return render(request, "profiles/account.html", {
        "profile": profile, "values": values, "errors": errors or FormErrors(),
        "options": {**ACCOUNT_OPTIONS, "email_kinds": [(kind, label(kind)) for kind in NOTIFICATION_KINDS]},
        "email_change_path": path_for(request, "account_email"),
    }, status_code=status_code)


@router.get("/account")
def account(request: Request, session: DbSession, actor: CurrentUser):
    return _page(request, session, actor)


@router.post("/account")
def account_update(request: Request, session: DbSession, actor: CurrentUser, form: Form):
    values = {
        "full_name": schema_text(form, "full_name"),
        "language": schema_text(form, "language"),
        "email_kinds": [v for v in form.getlist("email_kinds") if isinstance(v, str)],
    }
    data, errors = validate(ProfileUpdate, {**values, "full_name": values["full_name"] or None,
                                            "language": values["language"] or None})
    if any(key.startswith("email_kinds") for key in errors):
        errors = FormErrors({k: v for k, v in errors.items() if not k.startswith("email_kinds")})
        errors.add("email_kinds", _("Choose among the kinds of event listed."))
    if "language" in errors:
        errors["language"] = _("Choose English or French.")
    changes = None
    if data is not None:
        changes = save(session, errors, FIELDS, lambda: service.update_profile(session, actor=actor, data=data))
    if changes is None:
        return _page(request, session, actor, values=values, errors=errors, status_code=400)
    flash(request, _("Your profile is saved.") if changes else _("Nothing changed."))
    return redirect_to(request, "account")


# --- the language switcher on every page ---------------------------------------------------------


def _language_chosen(request: Request, code: str, next_path: str | None):
    response = RedirectResponse(safe_next(next_path), status_code=303)
    response.set_cookie(COOKIE, code, max_age=COOKIE_MAX_AGE, httponly=True, samesite="lax",
                        secure=get_settings().env == "production")
    return response


@router.get("/language/{language}", name="switch_language")
def switch_language(request: Request, language: str, next: str | None = None):  # noqa: A002 (the query's name)
    """A visitor's choice, kept in a cookie: a link, so it works on every page without a form."""
    if language not in LANGUAGES:
        raise NotFound(_("CapMatch speaks English (en) and French (fr)."))
    return _language_chosen(request, language, next)


@router.post("/language", name="choose_language")
def choose_language(request: Request, session: DbSession, actor: CurrentUser, form: Form):
    """A signed-in person's choice, kept on their account (it comes before the cookie)."""
    code = schema_text(form, "language")
    next_path = schema_text(form, "next") or None
    if code not in LANGUAGES:
        flash(request, _("Choose English or French."), "error")
        return RedirectResponse(safe_next(next_path), status_code=303)
    service.set_language(session, actor=actor, language=code)
    return _language_chosen(request, code, next_path)
