"""The matching officer's console: dashboard, match runs (policy form, progress, review), matching by hand, audit.

Form routes handle GET and POST: an invalid form is shown again with 400 and its errors inline; success
is a 303 redirect. Services decide what is allowed; every call that writes runs in a savepoint, so a
refusal leaves nothing behind (a batch of decisions is all or nothing).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse

from capmatch.auth.actor import Actor
from capmatch.enums import MATCHABLE_NEED_STATUSES, PROPOSAL_STATUSES
from capmatch.errors import CapmatchError
from capmatch.marketplace.views import choices
from capmatch.matching import runs as run_jobs
from capmatch.matching import service as matching
from capmatch.matching.schemas import COMPONENTS
from capmatch.needs import queries as need_queries
from capmatch.needs.queries import NeedFilters
from capmatch.officer import forms, service
from capmatch.offers import queries as offer_queries
from capmatch.offers.queries import OfferFilters
from capmatch.pagination import PageRequest
from capmatch.proposals import queries as proposal_queries
from capmatch.proposals import service as proposal_service
from capmatch.proposals.queries import ProposalFilters
from capmatch.web.deps import DbSession, PageNumber
from capmatch.web.forms import Form, FormErrors, text
from capmatch.web.session import flash, role_dependency
from capmatch.web.templating import render

router = APIRouter(prefix="/officer", include_in_schema=False)

CurrentOfficer = Annotated[Actor, Depends(role_dependency("officer", "admin"))]
PAGE_SIZE = 50
LIVE_RUN_STATUSES = ("queued", "running")


def _save(session, errors: FormErrors, known: set[str], call) -> Any:
    """Run a service call in a savepoint: on a domain error nothing it did stays, the error goes on its field."""
    try:
        with session.begin_nested():
            return call()
    except CapmatchError as exc:
        if exc.status in (401, 403):
            raise  # not a form problem: the error page says it
        errors.add_domain_error(exc, known)
        return None


def _int(raw: str, field: str, errors: FormErrors) -> int | None:
    if not raw:
        return None
    if raw.isdigit() and len(raw) < 10:
        return int(raw)
    errors.add(field, "Enter a proposal, need or offer number (a whole number).")
    return None


def _here(request: Request) -> str:
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


# --- dashboard and runs --------------------------------------------------------------------------


@router.get("")
def dashboard(request: Request, session: DbSession, actor: CurrentOfficer):
    run_jobs.fail_abandoned_runs(session)
    recent, total_runs = matching.list_runs(session, actor=actor, page=PageRequest(1, 5))
    return render(request, "officer/dashboard.html", {
        "counts": service.dashboard(session, actor=actor), "runs": recent, "total_runs": total_runs,
        "awaiting": {"officer": service.AWAITING_OFFICER, "requester": service.AWAITING_REQUESTER,
                     "provider": service.AWAITING_PROVIDER},
    })


@router.get("/runs")
def run_list(request: Request, session: DbSession, actor: CurrentOfficer, page: PageNumber = 1):
    run_jobs.fail_abandoned_runs(session)
    items, total = matching.list_runs(session, actor=actor, page=PageRequest(page, PAGE_SIZE))
    return render(request, "officer/runs.html", {"runs": items, "total": total, "page": page,
                                                 "page_size": PAGE_SIZE})


def _run_form(request: Request, session, *, values: dict[str, Any], errors: FormErrors, status_code: int = 200):
    policies = matching.list_policies(session)
    return render(request, "officer/run_form.html", {
        "values": values, "errors": forms.in_form_order(errors), "policies": policies,
        "components": [(c, forms.COMPONENT_LABELS[c]) for c in COMPONENTS], "constraints": forms.CONSTRAINTS,
        "choices": choices(session),
    }, status_code=status_code)


@router.api_route("/runs/new", methods=["GET", "POST"])
def new_run(request: Request, session: DbSession, actor: CurrentOfficer, form: Form):
    if request.method == "GET":
        default = next((p.name for p in matching.list_policies(session) if p.is_default), "")
        return _run_form(request, session, values={"policy": default}, errors=FormErrors())
    values, run_request, errors = forms.read_run_form(form)
    run = None
    if run_request is not None:
        def create():
            created = matching.create_run(session, actor=actor, request=run_request)
            # The job is queued in this transaction: the run and its job commit together or not at all.
            run_jobs.enqueue(session, run_id=created.id)
            return created

        run = _save(session, errors, forms.known_fields(), create)
    if run is None:
        return _run_form(request, session, values=values, errors=errors, status_code=400)
    flash(request, f"Match run {run.id} is queued. This page shows its progress.")
    return RedirectResponse(f"/officer/runs/{run.id}", status_code=303)


def _current_run(session, actor, run_id: int):
    """The run, marked failed first if it claims to be running but its worker is gone.

    Only a running run can have been abandoned: a finished one (nearly every view) costs no check.
    """
    run = matching.get_run_record(session, actor=actor, run_id=run_id)
    if run.status == "running" and run_jobs.fail_abandoned_runs(session):
        run = matching.get_run_record(session, actor=actor, run_id=run_id)
    return run


def _run_page(request: Request, session, actor, run_id: int, *, sort: str, page: int, tab: str,
              errors: FormErrors | None = None, reason: str = "", status_code: int = 200):
    run = _current_run(session, actor, run_id)
    sort = sort if sort in ("score", "-score") else "score"
    tab = tab if tab in ("proposals", "gaps") else "proposals"
    window = PageRequest(page, PAGE_SIZE)
    finished = run.status == "succeeded"
    # What a finished run recorded it wrote; a run without the record is counted.
    recorded = run.figures if finished else {}
    proposals, total = service.run_proposals(session, actor=actor, run_id=run.id, page=window, sort=sort,
                                             known_total=recorded.get("proposals_written"))
    if tab == "gaps":
        gaps, gap_total = matching.list_run_gaps(session, actor=actor, run_id=run_id, page=window)
    else:  # the tab shows only how many
        gaps, gap_total = [], service.run_gap_count(session, actor=actor, run_id=run_id,
                                                    known=recorded.get("unfilled_needs"))
    return render(request, "officer/run.html", {
        "run": run, "live": run.status in LIVE_RUN_STATUSES, "proposals": proposals, "total": total,
        "gaps": gaps, "gap_total": gap_total, "page": page, "page_size": PAGE_SIZE,
        "sort": sort, "tab": tab, "errors": errors or FormErrors(), "labels": forms.COMPONENT_LABELS,
        "query": urlencode({"tab": tab, "sort": sort} if tab == "proposals" else {"tab": tab}),
        "here": _here(request), "reason": reason,
    }, status_code=status_code)


def _decide(request: Request, session, actor, form) -> FormErrors:
    """Approve or reject the proposals the form names, all or nothing; the errors, if any."""
    errors = FormErrors()
    decision = forms.read_decision(form, errors)
    if decision is None:
        return errors
    done = _save(session, errors, {"reason", "ids"}, lambda: proposal_service.decide_many(
        session, actor=actor, proposal_ids=decision.ids, action=decision.action, reason=decision.reason))
    if done is not None:
        verb = "approved" if decision.action == "approve" else "rejected"
        what = f"Proposal {done[0].id} is" if len(done) == 1 else f"{len(done)} proposals are"
        flash(request, f"{what} {verb}.")
    return errors


@router.api_route("/runs/{run_id}", methods=["GET", "POST"])
def run_page(run_id: int, request: Request, session: DbSession, actor: CurrentOfficer, form: Form,
             sort: str = "score", page: PageNumber = 1, tab: str = "proposals"):
    if request.method == "GET":
        return _run_page(request, session, actor, run_id, sort=sort, page=page, tab=tab)
    matching.get_run(session, actor=actor, run_id=run_id)  # a 404 for an unknown run before anything else
    errors = _decide(request, session, actor, form)
    if errors:
        return _run_page(request, session, actor, run_id, sort=sort, page=page, tab=tab, errors=errors,
                         reason=text(form, "reason"), status_code=400)
    return RedirectResponse(_here(request), status_code=303)


@router.get("/runs/{run_id}/status")
def run_status(run_id: int, request: Request, session: DbSession, actor: CurrentOfficer, live: bool = False):
    """The status block alone, polled by htmx while the run works."""
    run = _current_run(session, actor, run_id)
    response = render(request, "officer/_run_status.html", {"run": run, "live": run.status in LIVE_RUN_STATUSES})
    if live and run.status not in LIVE_RUN_STATUSES:
        # The run has just finished: reload the whole page, which now has its proposals and gaps.
        response.headers["HX-Refresh"] = "true"
    return response


# --- proposals -----------------------------------------------------------------------------------


def _proposals_page(request: Request, session, actor, *, params: dict[str, Any], page: int,
                    errors: FormErrors | None = None, reason: str = "", status_code: int = 200):
    errors = errors or FormErrors()
    status = tuple(s for s in params["status"] if s in PROPOSAL_STATUSES)
    ids = {name: _int(params[name], name, errors) for name in ("need", "offer", "run")}
    filters = ProposalFilters(status=status, need=ids["need"], offer=ids["offer"], run=ids["run"])
    records, total = proposal_queries.list_proposals(session, actor=actor, filters=filters,
                                                     page=PageRequest(page, PAGE_SIZE))
    query = urlencode([("status", s) for s in status] + [(k, v) for k, v in ids.items() if v is not None])
    return render(request, "officer/proposals.html", {
        "records": records, "total": total, "page": page, "page_size": PAGE_SIZE, "statuses": PROPOSAL_STATUSES,
        "status": status, "values": {k: params[k] for k in ("need", "offer", "run")}, "query": query,
        "errors": errors, "labels": forms.COMPONENT_LABELS, "here": _here(request), "reason": reason,
    }, status_code=400 if errors and status_code == 200 else status_code)


@router.api_route("/proposals", methods=["GET", "POST"])
def proposals(request: Request, session: DbSession, actor: CurrentOfficer, form: Form,
              status: Annotated[list[str], Query()] = [], need: str = "", offer: str = "", run: str = "",  # noqa: B006
              page: PageNumber = 1):
    params = {"status": status, "need": need.strip(), "offer": offer.strip(), "run": run.strip()}
    if request.method == "POST":
        errors = _decide(request, session, actor, form)
        if not errors:
            return RedirectResponse(_here(request), status_code=303)
        return _proposals_page(request, session, actor, params=params, page=page, errors=errors,
                               reason=text(form, "reason"), status_code=400)
    return _proposals_page(request, session, actor, params=params, page=page)


# --- matching by hand ----------------------------------------------------------------------------

SEARCH = PageRequest(1, 10)


def _lookup(session, actor, *, need_id: int | None, offer_id: int | None) -> dict[str, Any]:
    """The need and offer the ids name, if they exist, so the officer sees what they are pairing."""
    found: dict[str, Any] = {"need": None, "offer": None}
    for key, ident, get in (("need", need_id, need_queries.get_need), ("offer", offer_id, offer_queries.get_offer)):
        if ident is not None:
            try:
                found[key] = get(session, actor=actor, **{f"{key}_id": ident})
            except CapmatchError:
                found[key] = False  # shown as "no such ..."
    return found


def _match_page(request: Request, session, actor, *, values: dict[str, str], errors: FormErrors,
                status_code: int = 200):
    ids = {k: _int(values.get(k, ""), k, FormErrors()) for k in ("need_id", "offer_id")}
    need_q, offer_q = values.get("need_q", ""), values.get("offer_q", "")
    need_hits = offer_hits = None
    if need_q:
        need_hits, _ = need_queries.list_needs(session, actor=actor, page=SEARCH, filters=NeedFilters(
            q=need_q, status=MATCHABLE_NEED_STATUSES))
    if offer_q:
        offer_hits, _ = offer_queries.list_offers(session, actor=actor, page=SEARCH, filters=OfferFilters(
            q=offer_q, status=("available", "reserved")))
    keep = {k: v for k, v in values.items() if k in ("need_id", "offer_id", "need_q", "offer_q") and v}
    return render(request, "officer/match.html", {
        "values": values, "errors": errors, "need_hits": need_hits, "offer_hits": offer_hits,
        "choose": lambda **change: "/officer/match?" + urlencode({**keep, **change}),
        **_lookup(session, actor, **ids),
    }, status_code=status_code)


@router.api_route("/match", methods=["GET", "POST"])
def manual_match(request: Request, session: DbSession, actor: CurrentOfficer, form: Form):
    if request.method == "GET":
        values = {k: request.query_params.get(k, "").strip()[:200]
                  for k in ("need_id", "offer_id", "need_q", "offer_q")}
        return _match_page(request, session, actor, values=values, errors=FormErrors())
    values = {k: text(form, k) for k in ("need_id", "offer_id", "reason")}
    errors = FormErrors()
    need_id, offer_id = _int(values["need_id"], "need_id", errors), _int(values["offer_id"], "offer_id", errors)
    for name, ident in (("need_id", need_id), ("offer_id", offer_id)):
        if ident is None and name not in errors:
            errors.add(name, "Enter the number of the " + name.split("_")[0] + ".")
    if not values["reason"]:
        errors.add("reason", "Say why you match these by hand.")
    proposal = None
    if not errors:
        proposal = _save(session, errors, {"need_id", "offer_id", "reason"}, lambda: (
            proposal_service.create_manual_proposal(session, actor=actor, need_id=need_id, offer_id=offer_id,
                                                    reason=values["reason"][:2000])))
    if proposal is None:
        return _match_page(request, session, actor, values=values, errors=errors, status_code=400)
    flash(request, f"Proposal {proposal.id} is made. Approve it below when you are ready.")
    return RedirectResponse(f"/officer/proposals?need={need_id}", status_code=303)


@router.get("/match/lookup")
def match_lookup(request: Request, session: DbSession, actor: CurrentOfficer, need_id: str = "",
                 offer_id: str = ""):
    """What one id names, for the manual match form to show beside the input as it is typed."""
    kind = "need" if need_id else "offer"
    raw = (need_id or offer_id).strip()
    ident = _int(raw, kind, FormErrors())
    record = _lookup(session, actor, **{f"{kind}_id": ident, ("offer_id" if kind == "need" else "need_id"): None})[kind]
    if raw and ident is None:
        record = False
    return render(request, "officer/_lookup.html", {"kind": kind, "record": record})


# --- audit ---------------------------------------------------------------------------------------


@router.get("/audit")
def audit(request: Request, session: DbSession, actor: CurrentOfficer, entity: str = "", id: str = "",  # noqa: A002
          page: PageNumber = 1):
    values = {"entity": entity.strip(), "id": id.strip()}
    errors = FormErrors()
    trail = None
    if values["entity"] or values["id"]:
        ident = _int(values["id"], "id", errors)
        if ident is None and "id" not in errors:
            errors.add("id", "Enter the number of the record.")
        if values["entity"] not in service.AUDITED_ENTITIES:
            errors.add("entity", "Choose what kind of record to trace.")
        if not errors:
            trail = service.audit_trail(session, actor=actor, entity_type=values["entity"], entity_id=ident,
                                        page=PageRequest(page, PAGE_SIZE))
    return render(request, "officer/audit.html", {
        "values": values, "errors": errors, "trail": trail, "entities": service.AUDITED_ENTITIES,
        "page": page, "page_size": PAGE_SIZE, "query": urlencode(values),
    }, status_code=400 if errors else 200)
