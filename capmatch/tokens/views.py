"""API tokens in the interface: a person's own (/account/tokens) and, for the administrator, everyone's."""

from __future__ import annotations

from fastapi import APIRouter, Request

from capmatch.inputs import Id
from capmatch.organizations import queries as org_queries
from capmatch.pagination import PageRequest
from capmatch.tokens import service
from capmatch.tokens.schemas import TokenCreate
from capmatch.web.deps import DbSession, PageNumber
from capmatch.web.forms import Form, FormErrors, save, schema_text, validate, whole_number
from capmatch.i18n import _
from capmatch.web.labels import ACCOUNT_OPTIONS
from capmatch.web.links import redirect_to
from capmatch.web.session import CurrentAdmin, CurrentUser, flash
from capmatch.web.templating import render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
FIELDS = {"name", "expires_in_days"}


def _own_page(request: Request, session, actor, *, page: int = 1, values=None, errors=None, created=None,
              status_code: int = 200):
    rows, total = service.list_own_tokens(session, actor=actor, page=PageRequest(page, PAGE_SIZE))
    response = render(request, "tokens/own.html", {
        "rows": rows, "total": total, "page": page, "page_size": PAGE_SIZE, "options": ACCOUNT_OPTIONS,
        "values": values or {"expires_in_days": str(service.DEFAULT_EXPIRY_DAYS)}, "errors": errors or FormErrors(),
        "created": created,
    }, status_code=status_code)
    if created is not None:
        response.headers["Cache-Control"] = "no-store"  # the secret must not stay in any cache
    return response


@router.get("/account/tokens")
def own_tokens(request: Request, session: DbSession, actor: CurrentUser, page: PageNumber = 1):
    return _own_page(request, session, actor, page=page)


@router.post("/account/tokens")
def token_create(request: Request, session: DbSession, actor: CurrentUser, form: Form):
    """The new token's secret is shown in this answer, once: a redirect would have to carry it in the cookie."""
    values = {name: schema_text(form, name) for name in FIELDS}
    days = whole_number(values["expires_in_days"])
    body, errors = validate(TokenCreate, {"name": values["name"] or None, "expires_in_days": days})
    if "expires_in_days" in errors:
        errors["expires_in_days"] = _("Choose how long the token works.")
    if errors:  # a name in use is said with the form's other problems
        errors.add_domain_error_list(service.token_problems(
            session, actor=actor, name=values["name"], expires_in_days=days), FIELDS)
    created = None
    if body is not None:
        created = save(session, errors, FIELDS, lambda: service.create_token(
            session, actor=actor, name=body.name, expires_in_days=body.expires_in_days))
    if created is None:
        return _own_page(request, session, actor, values=values, errors=errors.in_order(("name", "expires_in_days")),
                         status_code=400)
    return _own_page(request, session, actor, created=created)


@router.post("/account/tokens/{token_id}/revoke")
def token_revoke(token_id: Id, request: Request, session: DbSession, actor: CurrentUser):
    row = service.revoke_token(session, actor=actor, token_id=token_id)
    flash(request, _("The token {name} is revoked: it no longer works.", name=row.name))
    return redirect_to(request, "own_tokens")


@router.get("/admin/tokens")
def all_tokens(request: Request, session: DbSession, actor: CurrentAdmin, org: str = "", active: bool = False,
               page: PageNumber = 1):
    organization_id = whole_number(org)
    rows, total = service.list_all_tokens(session, actor=actor, page=PageRequest(page, PAGE_SIZE),
                                          organization_id=organization_id, active_only=active)
    organizations = org_queries.organization_choices(session, actor=actor)
    query = "&".join(p for p in (f"org={organization_id}" if organization_id else "",
                                 "active=true" if active else "") if p)
    return render(request, "tokens/all.html", {
        "rows": rows, "total": total, "page": page, "page_size": PAGE_SIZE, "query": query,
        "organizations": [(str(i), name) for i, name, _r, _p in organizations],
        "values": {"org": str(organization_id or ""), "active": active},
    })


@router.post("/admin/tokens/{token_id}/revoke")
def admin_token_revoke(token_id: Id, request: Request, session: DbSession, actor: CurrentAdmin):
    row = service.revoke_token(session, actor=actor, token_id=token_id)
    flash(request, _("The token {name} of {email} is revoked.", name=row.name, email=row.user_email))
    return redirect_to(request, "all_tokens")
