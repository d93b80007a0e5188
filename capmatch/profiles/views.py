"""The signed-in person's profile page, /account: name, language and which notices come by e-mail."""

from __future__ import annotations

from fastapi import APIRouter, Request

from capmatch.notifications.models import NOTIFICATION_KINDS
from capmatch.profiles import service
from capmatch.profiles.schemas import ProfileUpdate
from capmatch.web.deps import DbSession
from capmatch.web.forms import Form, FormErrors, save, schema_text, validate
from capmatch.web.labels import ACCOUNT_OPTIONS, label
from capmatch.web.links import path_for, redirect_to
from capmatch.web.session import CurrentUser, flash
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
        errors.add("email_kinds", "Choose among the kinds of event listed.")
    if "language" in errors:
        errors["language"] = "Choose English or French."
    changes = None
    if data is not None:
        changes = save(session, errors, FIELDS, lambda: service.update_profile(session, actor=actor, data=data))
    if changes is None:
        return _page(request, session, actor, values=values, errors=errors, status_code=400)
    flash(request, "Your profile is saved." if changes else "Nothing changed.")
    return redirect_to(request, "account")
