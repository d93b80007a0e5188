"""Needs' pages: the public marketplace of open needs, and a requester's own needs (list, post, edit, duplicate, close, cancel).

A filter form is a plain GET form; with htmx the same URL answers with the rows partial alone.
Form routes handle GET and POST: an invalid form is shown again with 400 and its errors inline,
success is a 303 redirect. The needs service decides what is allowed; these views only translate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request

from capmatch.enums import MATCHABLE_NEED_STATUSES, NEED_STATUSES, URGENCIES
from capmatch.errors import NotFound
from capmatch.i18n import N_, _
from capmatch.inputs import Id
from capmatch.needs import forms, queries, service
from capmatch.needs.queries import NeedFilters, NeedRecord
from capmatch.needs.schemas import NeedCreate, NeedUpdate
from capmatch.pagination import PageRequest
from capmatch.sorting import parse_sort
from capmatch.proposals.ledger import held_positions
from capmatch.taxonomy.service import reference_choices
from capmatch.web.deps import DbSession, MaybeActor, PageNumber
from capmatch.web.forms import Form, FormErrors, save, text, valid_part, validate
from capmatch.web.listing import Text, blank, list_controls, listing, query_without_page
from capmatch.web.session import CurrentRequester, flash
from capmatch.web.links import redirect_to
from capmatch.web.templating import render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 20  # the public list
MY_PAGE_SIZE = 25


# --- the public marketplace ----------------------------------------------------------------------


@router.get("/needs")
def needs(
    request: Request, session: DbSession, actor: MaybeActor, cluster: Text = "", area: Text = "",
    country: Text = "", language: Text = "", urgency: Text = "", q: Text = "", sort: Text = "", page: PageNumber = 1,
):
    params = {"q": blank(q), "cluster": blank(cluster), "area": blank(area), "country": blank(country),
              "language": blank(language), "urgency": urgency if urgency in URGENCIES else None}
    order = parse_sort(sort, queries.NEED_SORTS)  # an unknown order is ignored, as an unknown filter value is
    params["sort"] = order.value if order else None
    filters = NeedFilters(
        cluster=params["cluster"], area=params["area"], country=params["country"], language=params["language"],
        urgency=(params["urgency"],) if params["urgency"] else (), q=params["q"],
        # The marketplace shows what can still be answered, whoever is signed in.
        status=MATCHABLE_NEED_STATUSES,
    )
    records, total = queries.list_needs(
        session, actor=actor, filters=filters, page=PageRequest(page=page, page_size=PAGE_SIZE), sort=order,
    )
    return listing(request, "needs/list.html", "needs/_rows.html", {
        "records": records, "total": total, "page": page, "page_size": PAGE_SIZE, "params": params,
        "query": query_without_page(params), "choices": reference_choices(session), "urgencies": URGENCIES,
        # The export takes the same filters, and the states the marketplace shows.
        "export_query": "&".join(q for q in (query_without_page(params),
                                             urlencode([("status", s) for s in MATCHABLE_NEED_STATUSES])) if q),
        **list_controls(params, order, None if params["q"] else queries.DEFAULT_NEED_SORT),
    })


@router.get("/needs/{need_id}")
def need_detail(need_id: Id, request: Request, session: DbSession, actor: MaybeActor):
    record = queries.get_need(session, actor=actor, need_id=need_id)
    own = actor is not None and actor.role == "requester" and actor.acts_for(record.need.requester_org_id)
    return render(request, "needs/detail.html", {"record": record, "own": own, "choices": reference_choices(session),
                                                 "groupings": queries.eligibility_groupings(session)})


# --- a requester's own needs ---------------------------------------------------------------------




def _own_need(session, actor, need_id: int) -> NeedRecord:
    """One of the requester's organization's needs; any other is "not found" on these pages."""
    record = queries.get_need(session, actor=actor, need_id=need_id)
    if not actor.acts_for(record.need.requester_org_id):
        raise NotFound(_("No need of yours has the id {id}.", id=need_id))
    return record


@router.get("/my/needs")
def my_needs(
    request: Request, session: DbSession, actor: CurrentRequester, status: str = "", page: PageNumber = 1,
):
    status = status if status in NEED_STATUSES else ""
    filters = NeedFilters(requester=actor.organization_id, status=(status,) if status else ())
    records, total = queries.list_needs(session, actor=actor, filters=filters,
                                        page=PageRequest(page=page, page_size=MY_PAGE_SIZE))
    return render(request, "needs/mine.html", {
        "records": records, "total": total, "page": page, "page_size": MY_PAGE_SIZE, "status": status,
        "statuses": NEED_STATUSES, "query": f"status={status}" if status else "", "choices": reference_choices(session),
        "export_query": urlencode({"requester": actor.organization_id, **({"status": status} if status else {})}),
        "closable": service.CLOSABLE,
    })


@dataclass(frozen=True)
class Ending:
    """A close or cancel form sent back: which one, what was typed in it, and why it was refused."""

    form: str  # "close" or "cancel"
    reason: str
    error: str
    refused: bool  # the need cannot end so (409), rather than a reason the box cannot take (400)


def _form_page(request: Request, session, *, values: dict[str, Any], errors: FormErrors,
               record: NeedRecord | None = None, ending: Ending | None = None, status_code: int = 200):
    return render(request, "needs/form.html", {
        "values": values, "errors": forms.in_form_order(errors), "record": record, "choices": reference_choices(session),
        # The floor of the positions field, said beside it.
        "held": held_positions(session, record.need.id) if record else 0,
        "options": forms.OPTIONS, "language_rows": forms.language_rows(values), "ending": ending,
        "groupings": [(str(k), name) for k, name in queries.eligibility_groupings(session).items()],
        "closable": service.CLOSABLE, "cancellable": service.CANCELLABLE,
    }, status_code=status_code)


def _validated(session, data: dict[str, Any], values: dict[str, Any], errors: FormErrors,
               record: NeedRecord | None = None):
    """The need's schema, or None with every problem found: the schema's, and the service's checks
    of the fields that passed it (a past start-by date, a grouping without members), all at once."""
    payload, schema_errors = validate(NeedCreate, data)
    errors.merge(schema_errors)
    if errors:
        part = valid_part(NeedCreate, data, errors)
        for name in ("start_by", "answer_by"):
            if record is not None and name in part and part[name] == getattr(record.need, name):
                del part[name]  # an edit may keep a date that has passed since
        errors.add_domain_error_list(service.need_problems(session, part), forms.known_fields(values))
    return payload, schema_errors


@router.api_route("/my/needs/new", methods=["GET", "POST"])
def new_need(request: Request, session: DbSession, actor: CurrentRequester, form: Form):
    if request.method == "GET":
        return _form_page(request, session, values={"urgency": "normal", "positions": 1, "min_years_experience": 0},
                          errors=FormErrors())
    values, data, errors = forms.read_need_form(form)
    data["status"] = "open" if text(form, "action") == "publish" else "draft"
    payload, schema_errors = _validated(session, data, values, errors)
    need = None
    if not errors:
        need = save(session, errors, forms.known_fields(values),
                     lambda: service.create_need(session, actor=actor, data=payload))
    if need is None:
        return _form_page(request, session, values=values, errors=errors, status_code=400)
    flash(request, _("“{title}” is published.", title=need.title) if need.status == "open"
          else _("“{title}” is saved as a draft.", title=need.title))
    return redirect_to(request, "my_needs")


@router.api_route("/my/needs/{need_id}/edit", methods=["GET", "POST"])
def edit_need(need_id: Id, request: Request, session: DbSession, actor: CurrentRequester, form: Form):
    record = _own_need(session, actor, need_id)
    if request.method == "GET":
        return _form_page(request, session, values=forms.values_of(record), errors=FormErrors(), record=record)
    values, data, errors = forms.read_need_form(form)
    # The whole form is validated as a new need would be, then sent as a change of every field it shows.
    payload, schema_errors = _validated(session, data, values, errors, record)
    need = None
    if not errors:
        change = NeedUpdate(**payload.model_dump(include=set(forms.SIMPLE_FIELDS) | {
            "languages", "eligible_members_of", "allowed_provider_kinds", "exclude_duty_nationals"}))
        if text(form, "action") == "publish" and record.need.status == "draft":
            change.status = "open"
        need = save(session, errors, forms.known_fields(values),
                     lambda: service.update_need(session, actor=actor, need_id=need_id, data=change))
    if need is None:
        return _form_page(request, session, values=values, errors=errors, record=record, status_code=400)
    published = need.status == "open" and record.need.status == "draft"
    flash(request, _("“{title}” is saved and published.", title=need.title) if published
          else _("“{title}” is saved.", title=need.title))
    return redirect_to(request, "my_needs")


@router.post("/my/needs/{need_id}/duplicate")
def duplicate_need(need_id: Id, request: Request, session: DbSession, actor: CurrentRequester):
    record = _own_need(session, actor, need_id)
    copy = service.create_need(session, actor=actor, data=forms.copy_of(record))
    flash(request, _("A draft copy is ready: check its dates, then publish it."))
    return redirect_to(request, "edit_need", need_id=copy.id)


# How each ending is done, and what the requester is told once it is.
ENDINGS = {
    "close": (service.close_need, N_("“{title}” is closed: it takes no new proposals, any proposal for it not yet "
                                     "deployed is withdrawn and its provider told, and deployed experts carry on.")),
    "cancel": (service.cancel_need, N_("“{title}” is cancelled. Any proposal for it is withdrawn and its provider "
                                       "told.")),
}


@router.post("/my/needs/{need_id}/close")
def close_need(need_id: Id, request: Request, session: DbSession, actor: CurrentRequester, form: Form):
    return _end_need(request, session, actor, need_id, form, "close")


@router.post("/my/needs/{need_id}/cancel")
def cancel_need(need_id: Id, request: Request, session: DbSession, actor: CurrentRequester, form: Form):
    return _end_need(request, session, actor, need_id, form, "cancel")


def _end_need(request: Request, session, actor, need_id: int, form, kind: str):
    record = _own_need(session, actor, need_id)
    end, done = ENDINGS[kind]
    reason = text(form, "reason")
    errors = FormErrors()
    if len(reason) > 2000:
        errors.add("reason", _("Enter at most 2000 characters."))
    else:
        save(session, errors, {"reason"}, lambda: end(session, actor=actor, need_id=need_id, reason=reason or None))
    if errors:
        # Said by the button pressed (above the page if the need no longer shows it): a reason too long
        # is 400, a need that cannot end so 409.
        refused = "reason" not in errors
        return _form_page(request, session, values=forms.values_of(record), errors=FormErrors(), record=record,
                          ending=Ending(kind, reason, next(iter(errors.values())), refused),
                          status_code=409 if refused else 400)
    flash(request, _(done, title=record.need.title))
    return redirect_to(request, "my_needs")
