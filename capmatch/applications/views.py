"""/join, the public application form, and /admin/applications, the secretariat's queue."""

from __future__ import annotations

from fastapi import APIRouter, Request

from capmatch.applications import service as applications
from capmatch.applications.models import APPLICATION_STATUSES
from capmatch.applications.schemas import ApplicationCreate
from capmatch.inputs import Id
from capmatch.organizations.views import members_on_field
from capmatch.pagination import PageRequest
from capmatch.taxonomy.service import reference_choices
from capmatch.web.deps import DbSession, PageNumber
from capmatch.web.forms import (
    Form, FormErrors, checked, optional, save, schema_text, split_list, text, valid_part, validate,
)
from capmatch.i18n import _
from capmatch.web.labels import ADMIN_OPTIONS as OPTIONS
from capmatch.web.labels import label
from capmatch.web.links import redirect_to
from capmatch.web.listing import Text
from capmatch.web.session import CurrentAdmin as Admin
from capmatch.web.session import flash
from capmatch.web.templating import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
FIELDS = ("name", "acronym", "kind", "country", "members", "agreement_form", "focal_name", "focal_email", "statement")
# The order the form shows its fields in, for the error summary.
FORM_ORDER = ("name", "acronym", "kind", "country", "agreement_form", "members", "may_request", "may_provide",
              "focal_name", "focal_email", "statement")


def _form(request: Request, session, *, values, errors, status_code=200):
    return render(request, "applications/join.html", {
        "values": values, "errors": errors.in_order(FORM_ORDER), "options": OPTIONS,
        "choices": reference_choices(session),
    }, status_code=status_code)


@router.api_route("/join", methods=["GET", "POST"], name="join")
def join(request: Request, session: DbSession, form: Form):
    if request.method == "GET":
        return _form(request, session, values={"kind": "member_state_agency", "may_provide": True}, errors=FormErrors())
    values = {name: schema_text(form, name) for name in FIELDS}
    values["may_request"], values["may_provide"] = checked(form, "may_request"), checked(form, "may_provide")
    data = {**{name: optional(form, name) for name in FIELDS}, "may_request": values["may_request"],
            "may_provide": values["may_provide"],
            "members": [m.upper() for m in split_list(values["members"].replace(";", ","))]}
    payload, errors = validate(ApplicationCreate, data)
    if errors:  # the checks of the fields that passed (an address that is not one, a name taken) come too
        part = valid_part(ApplicationCreate, data, errors)
        errors.add_domain_error_list(applications.application_problems(session, values=part))
    application = None
    if payload is not None:
        application = save(session, errors, None, lambda: applications.submit(session, data=payload))
    if application is None:
        return _form(request, session, values=values, errors=members_on_field(errors, data["members"]),
                     status_code=400)
    flash(request, _("Thank you: the application of {name} is with the secretariat. We will write to {email}.",
                     name=application.name, email=application.focal_email))
    return redirect_to(request, "join")


@router.get("/admin/applications", name="application_list")
def application_list(request: Request, session: DbSession, actor: Admin, status: Text = "pending",
                     page: PageNumber = 1):
    status = status if status in APPLICATION_STATUSES else ""
    rows, total = applications.list_applications(session, actor=actor, status=status or None,
                                                 page=PageRequest(page=page, page_size=PAGE_SIZE))
    return render(request, "applications/list.html", {
        "rows": rows, "total": total, "status": status, "page": page, "page_size": PAGE_SIZE,
        "statuses": [(s, label(s)) for s in APPLICATION_STATUSES], "query": f"status={status}",
    })


def _detail(request: Request, session, actor, application_id: int, *, errors=None, values=None, status_code=200):
    application = applications.get_application(session, actor=actor, application_id=application_id)
    roles = [(r, label(r)) for r, ok in (("provider", application.may_provide), ("requester", application.may_request))
             if ok]
    return render(request, "applications/detail.html", {
        "application": application, "errors": errors or FormErrors(), "values": values or {}, "roles": roles,
    }, status_code=status_code)


@router.get("/admin/applications/{application_id}", name="application_detail")
def application_detail(application_id: Id, request: Request, session: DbSession, actor: Admin):
    return _detail(request, session, actor, application_id)


@router.post("/admin/applications/{application_id}/accept", name="application_accept")
def application_accept(application_id: Id, request: Request, session: DbSession, actor: Admin, form: Form):
    errors = FormErrors()
    organization = save(session, errors, None, lambda: applications.accept(
        session, actor=actor, application_id=application_id, role=text(form, "role") or None))
    if organization is None:
        return _detail(request, session, actor, application_id, errors=errors, status_code=400)
    flash(request, _("{name} is registered and its focal point invited.", name=organization.name))
    return redirect_to(request, "people", organization_id=organization.id)


@router.post("/admin/applications/{application_id}/decline", name="application_decline")
def application_decline(application_id: Id, request: Request, session: DbSession, actor: Admin, form: Form):
    errors = FormErrors()
    reason = text(form, "reason")
    declined = save(session, errors, None, lambda: applications.decline(
        session, actor=actor, application_id=application_id, reason=reason))
    if declined is None:
        return _detail(request, session, actor, application_id, errors=errors, values={"reason": reason},
                       status_code=400)
    flash(request, _("The application of {name} is declined; the reason is on its way to {email}.", name=declined.name,
                     email=declined.focal_email))
    return redirect_to(request, "application_list")
