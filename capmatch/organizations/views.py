"""The administrator's pages: the overview, and organizations (list, register, edit).

Users are administered on capmatch.auth.admin_views' pages, the taxonomies on capmatch.taxonomy.views'.
Form routes handle GET and POST: an invalid form is shown again with 400, success is a 303.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import FormData

from capmatch.auth.actor import require_admin
from capmatch.inputs import Id
from capmatch.organizations import queries
from capmatch.organizations import service as organizations
from capmatch.organizations.schemas import OrganizationCreate, OrganizationUpdate
from capmatch.pagination import PageRequest
from capmatch.taxonomy.service import reference_choices
from capmatch.web.deps import DbSession, PageNumber
from capmatch.web.forms import (
    Form, FormErrors, checked, optional, save, schema_text, split_list, valid_part, validate,
)
from capmatch.i18n import _
from capmatch.web.labels import ADMIN_OPTIONS as OPTIONS
from capmatch.web.listing import Text
from capmatch.web.session import CurrentAdmin as Admin
from capmatch.web.session import flash
from capmatch.web.links import redirect_to
from capmatch.web.templating import render

router = APIRouter(prefix="/admin", include_in_schema=False)

PAGE_SIZE = 50
ORG_FIELDS = ("name", "acronym", "kind", "country", "agreement_form", "description", "members")
# The order the form shows its fields in, for the error summary.
FORM_ORDER = ("name", "acronym", "kind", "country", "agreement_form", "may_request", "may_provide", "members",
              "description")


@router.get("")
def index(request: Request, session: DbSession, actor: Admin):
    return render(request, "organizations/admin.html", {"summary": queries.admin_summary(session, actor=actor)})


# --- organizations -----------------------------------------------------------------------------


@router.get("/organizations")
def organization_list(request: Request, session: DbSession, actor: Admin, q: Text = "", page: PageNumber = 1):
    rows, total = queries.organizations_overview(session, actor=actor, q=q or None,
                                                 page=PageRequest(page=page, page_size=PAGE_SIZE))
    return render(request, "organizations/list.html", {
        "rows": rows, "total": total, "q": q, "page": page, "page_size": PAGE_SIZE,
        "query": f"q={q}" if q else "",
    })


def _org_values(form: FormData) -> tuple[dict[str, Any], dict[str, Any]]:
    values: dict[str, Any] = {name: schema_text(form, name) for name in ORG_FIELDS}
    values["may_request"], values["may_provide"] = checked(form, "may_request"), checked(form, "may_provide")
    data = {
        "name": values["name"], "acronym": optional(form, "acronym"), "kind": optional(form, "kind"),
        "country": optional(form, "country"), "agreement_form": optional(form, "agreement_form"),
        "may_request": values["may_request"], "may_provide": values["may_provide"],
        "description": values["description"],
        "members": [m.upper() for m in split_list(values["members"].replace(";", ","))],
    }
    return values, data


def _org_form(request: Request, session, *, values, errors, record=None, status_code: int = 200):
    return render(request, "organizations/form.html", {
        "values": values, "errors": errors.in_order(FORM_ORDER), "record": record, "options": OPTIONS,
        "choices": reference_choices(session),
    }, status_code=status_code)


@router.api_route("/organizations/new", methods=["GET", "POST"])
def organization_new(request: Request, session: DbSession, actor: Admin, form: Form):
    if request.method == "GET":
        return _org_form(request, session, values={"kind": "member_state_agency", "may_provide": True},
                         errors=FormErrors())
    values, data = _org_values(form)
    payload, errors = _validated(session, actor, data)
    org = None
    if payload is not None:
        org = save(session, errors, None, lambda: organizations.create_organization(session, actor=actor, data=payload))
    if org is None:
        return _org_form(request, session, values=values, errors=members_on_field(errors, data["members"]),
                         status_code=400)
    flash(request, _("{name} is registered.", name=org.name))
    return redirect_to(request, "organization_list")


@router.api_route("/organizations/{organization_id}/edit", methods=["GET", "POST"])
def organization_edit(organization_id: Id, request: Request, session: DbSession, actor: Admin, form: Form):
    require_admin(actor)
    record = organizations.get_organization(session, organization_id=organization_id)
    if request.method == "GET":
        o = record.organization
        values = {"name": o.name, "acronym": o.acronym or "", "kind": o.kind, "country": o.country_iso3 or "",
                  "agreement_form": o.agreement_form, "may_request": o.may_request, "may_provide": o.may_provide,
                  "description": o.description, "members": ", ".join(record.members)}
        return _org_form(request, session, values=values, errors=FormErrors(), record=record)
    values, data = _org_values(form)
    # Validated as a whole organization (so a blank name is "required"), then sent as a full update.
    payload, errors = _validated(session, actor, data, organization_id)
    org = None
    if payload is not None:
        # A blank agreement form keeps the current one (the schema's default applies only on creation).
        update = OrganizationUpdate(**payload.model_dump(exclude={"agreement_form"} if payload.agreement_form is None
                                                         else set()))
        org = save(session, errors, None, lambda: organizations.update_organization(
            session, actor=actor, organization_id=organization_id, data=update))
    if org is None:
        return _org_form(request, session, values=values, errors=members_on_field(errors, data["members"]),
                         record=record, status_code=400)
    flash(request, _("{name} is saved.", name=org.name))
    return redirect_to(request, "organization_list")


def _validated(session, actor, data: dict[str, Any], organization_id: int | None = None):
    """The organization's schema, or None with every problem found: the schema's, and the service's
    checks of the fields that passed it (a name taken, an unknown member country), all at once."""
    payload, errors = validate(OrganizationCreate, data)
    if errors:
        part = valid_part(OrganizationCreate, data, errors)
        errors.add_domain_error_list(organizations.organization_problems(
            session, actor=actor, values=part, organization_id=organization_id))
    return payload, errors


def members_on_field(errors: FormErrors, members: list[str]) -> FormErrors:
    """"members[3]" names one code of the list, not three letters or no country's; the form has one
    box for all of them, and one message there names every such code."""
    out, bad = FormErrors(), []
    for field, message in errors.items():
        found = re.fullmatch(r"members\[(\d+)\]", field)
        if found is None:
            out.add(field, message)
        elif int(found.group(1)) < len(members):
            bad.append(f"'{members[int(found.group(1))]}'")
    if len(bad) == 1:
        out["members"] = _("Check the member countries: {code} is not a country's three-letter code (such as KEN).",
                           code=bad[0])
    elif bad:
        out["members"] = _("Check the member countries: {codes} are not countries' three-letter codes (such as KEN).",
                           codes=", ".join(bad))
    return out
