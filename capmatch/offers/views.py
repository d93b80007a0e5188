"""Offers' pages: the public marketplace of anonymized offers, and a provider's roster (list, add, edit, withdraw).

Providers see their own organization's roster; the secretariat opens any provider's with ?org=.
Forms handle GET and POST on one route: an invalid form comes back with 400 and inline errors,
success is a 303. The offers and roster services check who may do what; these views only translate.
Import and export are in capmatch.offers.import_views.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from capmatch.auth.actor import Actor
from capmatch.enums import OFFER_KINDS, OFFER_STATUSES
from capmatch.i18n import _
from capmatch.inputs import Id
from capmatch.offers import forms, queries
from capmatch.offers import roster as service
from capmatch.offers import service as offer_service
from capmatch.offers.queries import OfferFilters
from capmatch.offers.schemas import OfferCreate
from capmatch.pagination import PageRequest
from capmatch.sorting import parse_sort
from capmatch.taxonomy.service import reference_choices
from capmatch.web.deps import DbSession, PageNumber
from capmatch.web.forms import Form, FormErrors, save, text, valid_part, validate
from capmatch.web.listing import Text, blank, list_controls, listing, query_without_page
from capmatch.web.session import flash, role_dependency
from capmatch.web.links import redirect_to
from capmatch.web.templating import render

router = APIRouter(include_in_schema=False)

RosterUser = Annotated[Actor, Depends(role_dependency("provider", "officer", "admin"))]
OrgParam = Annotated[Id | None, Query(description="the provider's id; the secretariat only")]
PAGE_SIZE = 25
PUBLIC_PAGE_SIZE = 20


def carried_org(actor: Actor, org_id: int) -> str:
    """The ?org= a secretariat user carries from page to page; providers need none."""
    return f"org={org_id}" if actor.is_secretariat else ""


# --- the public marketplace ----------------------------------------------------------------------


@router.get("/offers")
def offers(
    request: Request, session: DbSession, cluster: Text = "", area: Text = "", country: Text = "",
    language: Text = "", kind: Text = "", q: Text = "", sort: Text = "", page: PageNumber = 1,
):
    params = {"q": blank(q), "cluster": blank(cluster), "area": blank(area), "country": blank(country),
              "language": blank(language), "kind": kind if kind in OFFER_KINDS else None}
    order = parse_sort(sort, queries.OFFER_SORTS)  # an unknown order is ignored, as an unknown filter value is
    params["sort"] = order.value if order else None
    filters = OfferFilters(
        cluster=params["cluster"], area=params["area"], country=params["country"], language=params["language"],
        kind=(params["kind"],) if params["kind"] else (), q=params["q"],
    )
    # actor=None: a public page is anonymized for everyone, even a provider looking at its own experts.
    records, total = queries.list_offers(
        session, actor=None, filters=filters, page=PageRequest(page=page, page_size=PUBLIC_PAGE_SIZE), sort=order,
    )
    return listing(request, "offers/list.html", "offers/_rows.html", {
        "records": records, "total": total, "page": page, "page_size": PUBLIC_PAGE_SIZE, "params": params,
        "query": query_without_page(params), "choices": reference_choices(session), "kinds": OFFER_KINDS,
        **list_controls(params, order, None if params["q"] else queries.DEFAULT_OFFER_SORT),
    })


@router.get("/offers/{offer_id}")
def offer_detail(offer_id: Id, request: Request, session: DbSession):
    record = queries.get_offer(session, actor=None, offer_id=offer_id)
    # The profile stays anonymized for everyone; the deployment record shows the organizations served
    # and the hosts' comments to a reader with a right to them (the provider, the secretariat, a host).
    actor = getattr(request.state, "actor", None)
    history = queries.get_offer(session, actor=actor, offer_id=offer_id) if actor is not None else record
    return render(request, "offers/detail.html", {"record": record, "history": history,
                                                  "choices": reference_choices(session)})


# --- the roster --------------------------------------------------------------------------------


@router.get("/roster")
def roster(request: Request, session: DbSession, actor: RosterUser, org: OrgParam = None, status: str = "",
           page: PageNumber = 1):
    if actor.is_secretariat and org is None:
        return render(request, "offers/choose_provider.html",
                      {"organizations": service.providing_organizations(session, actor=actor)})
    status = status if status in OFFER_STATUSES else ""
    data = service.list_roster(session, actor=actor, provider_org_id=org, status=(status,) if status else (),
                               page=PageRequest(page=page, page_size=PAGE_SIZE))
    org_query = carried_org(actor, data.organization_id)
    return render(request, "offers/roster.html", {
        "data": data, "status": status, "statuses": OFFER_STATUSES, "page": page, "page_size": PAGE_SIZE,
        "org_query": org_query, "query": "&".join(q for q in (org_query, f"status={status}" if status else "") if q),
    })


def _form_page(request: Request, session, *, values: dict[str, Any], errors: FormErrors, org_query: str,
               organization_name: str, record=None, withdraw_errors: FormErrors | None = None,
               status_code: int = 200):
    return render(request, "offers/form.html", {
        "values": values, "errors": errors, "record": record, "choices": reference_choices(session),
        "options": forms.OPTIONS, "language_rows": forms.language_rows(values), "org_query": org_query,
        "past_rows": forms.past_rows(values),
        "organization_name": organization_name, "withdraw_errors": withdraw_errors or FormErrors(),
    }, status_code=status_code)


def _validated(session, data: dict[str, Any], values: dict[str, Any], record=None):
    """The offer's schema, or None with every problem found: the schema's, and the service's checks of
    the fields that passed it (a past end date, an individual expert without a name), all at once."""
    payload, errors = validate(OfferCreate, data)
    if errors:
        part = valid_part(OfferCreate, data, errors)
        if record is not None and "available_until" in part and part["available_until"] == record.available_until:
            del part["available_until"]  # an edit may keep an end date that has passed since
        errors.add_domain_error_list(offer_service.offer_problems(session, part), forms.known_fields(values))
    return payload, errors


@router.api_route("/roster/new", methods=["GET", "POST"])
def new_offer(request: Request, session: DbSession, actor: RosterUser, form: Form, org: OrgParam = None):
    organization = service.roster_organization(session, actor=actor, provider_org_id=org)
    org_query = carried_org(actor, organization.id)
    page = dict(org_query=org_query, organization_name=organization.name)
    if request.method == "GET":
        values = {"kind": "individual_expert", "capacity": 1, "years_experience": 0, "lead_time_days": 30,
                  "max_duration_months": 12, "cost_bearer": "provider", "available_from": date.today().isoformat()}
        return _form_page(request, session, values=values, errors=FormErrors(), **page)
    values, data = forms.read_offer_form(form)
    payload, errors = _validated(session, {**data, "provider_org_id": organization.id}, values)
    offer = None
    if payload is not None:
        offer = save(session, errors, forms.known_fields(values), lambda: offer_service.create_offer(session, actor=actor, data=payload))
    if offer is None:
        return _form_page(request, session, values=values, errors=errors, status_code=400, **page)
    flash(request, _("“{title}” is on your roster.", title=offer.title))
    return redirect_to(request, "roster", org_query)


@router.api_route("/roster/{offer_id}/edit", methods=["GET", "POST"])
def edit_offer(offer_id: Id, request: Request, session: DbSession, actor: RosterUser, form: Form):
    record = service.get_roster_offer(session, actor=actor, offer_id=offer_id)
    page = dict(org_query=carried_org(actor, record.provider.id), organization_name=record.provider.name,
                record=record)
    if request.method == "GET":
        return _form_page(request, session, values=forms.values_of(record), errors=FormErrors(), **page)
    values, data = forms.read_offer_form(form)
    payload, errors = _validated(session, {**data, "provider_org_id": record.provider.id}, values, record)
    offer = None
    if payload is not None:
        offer = save(session, errors, forms.known_fields(values), lambda: offer_service.update_offer(
            session, actor=actor, offer_id=offer_id, data=forms.to_update(payload)))
    if offer is None:
        return _form_page(request, session, values=values, errors=errors, status_code=400, **page)
    flash(request, _("“{title}” is saved.", title=offer.title))
    return redirect_to(request, "roster", page["org_query"])


@router.post("/roster/{offer_id}/withdraw")
def withdraw_offer(offer_id: Id, request: Request, session: DbSession, actor: RosterUser, form: Form):
    record = service.get_roster_offer(session, actor=actor, offer_id=offer_id)
    org_query = carried_org(actor, record.provider.id)
    reason = text(form, "reason")
    errors = FormErrors()
    if not reason:
        errors.add("reason", _("Say why the offer is withdrawn: the matching officers see it."))
    elif len(reason) > 2000:
        errors.add("reason", _("Enter at most 2000 characters."))
    else:
        save(session, errors, set(), lambda: offer_service.withdraw_offer(
            session, actor=actor, offer_id=offer_id, reason=reason))
    if errors:
        if "reason" not in errors:  # the service refused: say it next to the button
            errors = FormErrors({"reason": next(iter(errors.values()))})
        return _form_page(request, session, values=forms.values_of(record), errors=FormErrors(),
                          org_query=org_query, organization_name=record.provider.name, record=record,
                          withdraw_errors=errors, status_code=409 if reason else 400)
    flash(request, _("“{title}” is withdrawn.", title=record.title))
    return redirect_to(request, "roster", org_query)
