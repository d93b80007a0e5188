"""The administrator's user pages: the list, adding a user, activating and deactivating."""

from __future__ import annotations

from fastapi import APIRouter, Request

from capmatch.auth import users
from capmatch.auth.actor import Actor
from capmatch.enums import ROLES
from capmatch.i18n import _
from capmatch.inputs import Id
from capmatch.organizations import queries as org_queries
from capmatch.pagination import PageRequest
from capmatch.web.deps import DbSession, PageNumber
from capmatch.web.forms import Form, FormErrors, save, text, whole_number
from capmatch.web.labels import ADMIN_OPTIONS as OPTIONS
from capmatch.web.labels import label
from capmatch.web.listing import Text
from capmatch.web.session import CurrentAdmin as Admin
from capmatch.web.session import flash
from capmatch.web.links import redirect_to
from capmatch.web.templating import render

router = APIRouter(prefix="/admin", include_in_schema=False)

PAGE_SIZE = 50
USER_FIELDS = ("email", "full_name", "role", "organization_id")
FORM_ORDER = (*USER_FIELDS, "password")  # as the form shows them, for the error summary


@router.get("/users")
def user_list(request: Request, session: DbSession, actor: Admin, q: Text = "", role: Text = "",
              page: PageNumber = 1):
    role = role if role in ROLES else ""
    rows, total = users.list_users(session, actor=actor, q=q or None, role=role or None,
                                     page=PageRequest(page=page, page_size=PAGE_SIZE))
    query = "&".join(p for p in (f"q={q}" if q else "", f"role={role}" if role else "") if p)
    return render(request, "auth/users.html", {
        "rows": rows, "total": total, "q": q, "role": role, "roles": ROLES, "page": page, "page_size": PAGE_SIZE,
        "query": query,
    })


def _user_form(request: Request, session, actor, *, values, errors, status_code: int = 200):
    orgs = org_queries.organization_choices(session, actor=actor)
    return render(request, "auth/user_form.html", {
        "values": values, "errors": errors, "options": OPTIONS,
        "organizations": [(str(i), name) for i, name, _r, _p in orgs],
    }, status_code=status_code)


@router.api_route("/users/new", methods=["GET", "POST"])
def user_new(request: Request, session: DbSession, actor: Admin, form: Form):
    if request.method == "GET":
        return _user_form(request, session, actor, values={"role": "provider"}, errors=FormErrors())
    values = {name: text(form, name) for name in USER_FIELDS}
    errors = FormErrors()
    org_id = whole_number(values["organization_id"])
    password = str(form.get("password") or "")
    # The service checks every field at once (the name, the address, the password's strength, the
    # role against the organization) before it writes.
    user = save(session, errors, None, lambda: users.add_user(
        session, actor=actor, email=values["email"], full_name=values["full_name"], role=values["role"],
        password=password, organization_id=org_id))
    if user is None:
        return _user_form(request, session, actor, values=values, errors=errors.in_order(FORM_ORDER),
                          status_code=400)
    flash(request, _("{email} can now sign in as {role}.", email=user.email, role=label(user.role).lower()))
    return redirect_to(request, "user_list")


@router.post("/users/{user_id}/deactivate")
def user_deactivate(user_id: Id, request: Request, session: DbSession, actor: Admin):
    return _set_active(request, session, actor, user_id, active=False)


@router.post("/users/{user_id}/activate")
def user_activate(user_id: Id, request: Request, session: DbSession, actor: Admin):
    return _set_active(request, session, actor, user_id, active=True)


def _set_active(request: Request, session, actor: Actor, user_id: int, *, active: bool):
    errors = FormErrors()
    user = save(session, errors, None, lambda: users.set_user_active(session, actor=actor, user_id=user_id,
                                                                        active=active))
    if user is None:
        flash(request, next(iter(errors.values())), "error")
    else:
        flash(request, _("{email} is active again.", email=user.email) if active else _(
            "{email} is deactivated: their sessions and tokens end.", email=user.email))
    return redirect_to(request, "user_list")
