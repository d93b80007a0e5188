"""The matching officer's console: the dashboard, and match runs (policy form, progress, review).

Form routes handle GET and POST: an invalid form is shown again with 400 and its errors inline; success
is a 303 redirect. Services decide what is allowed; every call that writes runs in a savepoint, so a
refusal leaves nothing behind (a batch decides each proposal it can, or all or nothing if asked).
Reading a run never changes it: a run whose worker died is marked failed by the periodic job
(capmatch.matching.tasks).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from capmatch.errors import InvalidInput, NotFound
from capmatch.i18n import _
from capmatch.inputs import Id
from capmatch.matching import forms, queries
from capmatch.matching.gaps import sentence
from capmatch.matching.phases import error_words, phase_words
from capmatch.matching import runs as run_jobs
from capmatch.matching import service as matching
from capmatch.matching.core.policy import COMPONENTS
from capmatch.pagination import PageRequest
from capmatch.proposals import queries as proposal_queries
from capmatch.proposals.review_views import decide
from capmatch.taxonomy.service import reference_choices
from capmatch.web.deps import DbSession, PageNumber
from capmatch.web.forms import Form, FormErrors, save, text, whole_number
from capmatch.web.labels import COMPONENT_LABELS
from capmatch.web.listing import here
from capmatch.web.session import CurrentOfficer, flash
from capmatch.web.links import path_for, redirect_to
from capmatch.web.templating import render

router = APIRouter(prefix="/officer", include_in_schema=False)

PAGE_SIZE = 50
LIVE_RUN_STATUSES = ("queued", "running")
STATUS_WORDS = {"phase_words": phase_words, "error_words": error_words}  # the status block's


# --- dashboard and runs --------------------------------------------------------------------------


@router.get("")
def dashboard(request: Request, session: DbSession, actor: CurrentOfficer):
    recent, total_runs = matching.list_runs(session, actor=actor, page=PageRequest(1, 5))
    return render(request, "matching/dashboard.html", {
        "counts": queries.dashboard(session, actor=actor), "runs": recent, "total_runs": total_runs,
        "awaiting": {party: "/officer/proposals?" + urlencode([("status", s) for s in statuses])
                     for party, statuses in (("officer", queries.AWAITING_OFFICER),
                                             ("requester", queries.AWAITING_REQUESTER),
                                             ("provider", queries.AWAITING_PROVIDER))},
        "choices": reference_choices(session), **STATUS_WORDS,
    })


@router.get("/runs")
def run_list(request: Request, session: DbSession, actor: CurrentOfficer, page: PageNumber = 1):
    items, total = matching.list_runs(session, actor=actor, page=PageRequest(page, PAGE_SIZE))
    return render(request, "matching/runs.html", {"runs": items, "total": total, "page": page,
                                                 "page_size": PAGE_SIZE, "choices": reference_choices(session),
                                                 **STATUS_WORDS})


def _run_form(request: Request, session, *, values: dict[str, Any], errors: FormErrors, status_code: int = 200):
    policies = matching.list_policies(session)
    return render(request, "matching/run_form.html", {
        "values": values, "errors": forms.in_form_order(errors), "policies": policies,
        "components": [(c, COMPONENT_LABELS[c]) for c in COMPONENTS], "constraints": forms.constraints(),
        "choices": reference_choices(session),
    }, status_code=status_code)


def _filled_from(session, name: str) -> tuple[dict[str, Any], FormErrors]:
    """The run form's boxes filled from the saved policy `name` (the default one when blank)."""
    errors = FormErrors()
    try:
        policy = matching.get_policy(session, name=name or None)
    except InvalidInput as exc:
        if name:  # with no default policy, the blank form: starting the run says what is missing
            errors.add_domain_error(exc)
        return {"policy": name}, errors
    return {"policy": policy.name, "replace_constraints": True,
            **forms.policy_values(policy.weights, policy.constraints)}, errors


@router.api_route("/runs/new", methods=["GET", "POST"])
def new_run(request: Request, session: DbSession, actor: CurrentOfficer, form: Form, policy: str = ""):
    if request.method == "GET":
        values, errors = _filled_from(session, policy.strip())
        return _run_form(request, session, values=values, errors=errors, status_code=400 if errors else 200)
    values, run_request, errors, part = forms.read_run_form(form)
    if errors:  # the checks of the fields that passed (an unknown area, a policy gone) are said with the others
        errors.add_domain_error_list(matching.run_problems(session, actor=actor, values=part), forms.known_fields())
    run = None
    if run_request is not None:
        def create():
            created = matching.create_run(session, actor=actor, request=run_request)
            # The job is queued in this transaction: the run and its job commit together or not at all.
            run_jobs.enqueue(session, run_id=created.id)
            return created

        run = save(session, errors, forms.known_fields(), create, page_statuses=(401, 403))
    if run is None:
        return _run_form(request, session, values=values, errors=errors, status_code=400)
    flash(request, _("Match run {number} is queued. This page shows its progress.", number=run.id))
    return redirect_to(request, "run_page", run_id=run.id)


@router.get("/runs/compare")
def compare_runs(request: Request, session: DbSession, actor: CurrentOfficer, a: str = "", b: str = "",
                 page: PageNumber = 1):
    """Two runs side by side; without both run numbers, the form to choose them (filled with the one given)."""
    values, errors, comparison = {"a": a.strip(), "b": b.strip()}, FormErrors(), None
    ids = {side: whole_number(values[side]) for side in ("a", "b")}
    for side in ("a", "b"):
        if values[side] and ids[side] is None:
            errors.add(side, _("Enter the number of a match run (a whole number)."))
    if values["a"] and values["b"] and not errors:
        try:
            comparison = queries.compare_runs(session, actor=actor, a=ids["a"], b=ids["b"],
                                              page=PageRequest(page, PAGE_SIZE))
        except NotFound as exc:
            errors.add_domain_error(exc)
    return render(request, "matching/compare.html", {
        "values": values, "errors": errors, "c": comparison, "page": page, "page_size": PAGE_SIZE,
        "query": urlencode(values),
    }, status_code=400 if errors else 200)


def _run_page(request: Request, session, actor, run_id: int, *, sort: str, page: int, tab: str, pick: str = "",
              errors: FormErrors | None = None, reason: str = "", all_or_nothing: bool = False,
              status_code: int = 200):
    run = matching.get_run_record(session, actor=actor, run_id=run_id)
    sort = sort if sort in ("score", "-score") else "score"
    tab = tab if tab in ("proposals", "gaps") else "proposals"
    window = PageRequest(page, PAGE_SIZE)
    finished = run.status == "succeeded"
    # What a finished run recorded it wrote; a run without the record is counted.
    recorded = run.figures if finished else {}
    proposals, total = proposal_queries.run_proposals(session, actor=actor, run_id=run.id, page=window, sort=sort,
                                                     known_total=recorded.get("proposals_written"))
    gaps: list = []
    if tab == "gaps":
        gaps, _total = matching.list_run_gaps(session, actor=actor, run_id=run_id, page=window)
    # The tab and the figures count needs and positions; a finished run recorded both (its needs
    # with a gap, its positions open and filled), so only an older run is counted.
    unfilled = None
    if "unfilled_needs" in recorded:
        gap_total, unfilled = recorded["unfilled_needs"], (run.positions_open or 0) - (run.positions_filled or 0)
    else:
        gap_total, unfilled = queries.run_gap_totals(session, actor=actor, run_id=run_id)
    kept = {"tab": tab, "sort": sort, "page": page} if tab == "proposals" else {"tab": tab}
    base = path_for(request, "run_page", urlencode(kept), run_id=run.id)
    return render(request, "matching/run.html", {
        "run": run, "live": run.status in LIVE_RUN_STATUSES, "proposals": proposals, "total": total,
        "gaps": gaps, "gap_total": gap_total, "page": page, "page_size": PAGE_SIZE,
        "sort": sort, "tab": tab, "errors": errors or FormErrors(),
        "query": urlencode({"tab": tab, "sort": sort} if tab == "proposals" else {"tab": tab}),
        "here": base, "reason": reason, "all_or_nothing": all_or_nothing, "unfilled_positions": unfilled,
        "picked": picked_proposals(proposals, pick),
        "pick_link": lambda how: f"{base}&pick={how}#proposals" if how else f"{base}#proposals",
        "choices": reference_choices(session), "reason_text": sentence,
        "solution": solution_of(run.figures or {}), **STATUS_WORDS,
    }, status_code=status_code)


def solution_of(figures: dict[str, Any]) -> tuple[str, list[str]]:
    """The solver's outcome and the constraints no selection could meet. Runs written before the
    figures listed "infeasible" carry it in the status: "optimal; infeasible: a, b"."""
    outcome, _sep, older = (figures.get("status") or "optimal").partition("; infeasible: ")
    return outcome, figures.get("infeasible") or (older.split(", ") if older else [])


def picked_proposals(proposals, pick: str) -> set[int]:
    """The page's proposals awaiting a decision whose boxes start ticked: all of them, or the best
    (highest score, then lowest id) of each need."""
    waiting = [p for p in proposals if p.status == "proposed"]
    if pick == "all":
        return {p.id for p in waiting}
    if pick == "best":
        best: dict[int, Any] = {}
        for p in waiting:
            if p.need_id not in best or (p.score, -p.id) > (best[p.need_id].score, -best[p.need_id].id):
                best[p.need_id] = p
        return {p.id for p in best.values()}
    return set()


@router.api_route("/runs/{run_id}", methods=["GET", "POST"])
def run_page(run_id: Id, request: Request, session: DbSession, actor: CurrentOfficer, form: Form,
             sort: str = "score", page: PageNumber = 1, tab: str = "proposals", pick: str = ""):
    if request.method == "GET":
        return _run_page(request, session, actor, run_id, sort=sort, page=page, tab=tab, pick=pick)
    matching.get_run(session, actor=actor, run_id=run_id)  # a 404 for an unknown run before anything else
    errors, anchor = decide(request, session, actor, form)
    if errors:
        return _run_page(request, session, actor, run_id, sort=sort, page=page, tab=tab, errors=errors,
                         reason=text(form, "reason"),
                         all_or_nothing=text(form, "all_or_nothing") == "1", status_code=400)
    return RedirectResponse(here(request) + anchor, status_code=303)


@router.get("/runs/{run_id}/status")
def run_status(run_id: Id, request: Request, session: DbSession, actor: CurrentOfficer, live: bool = False):
    """The status block alone, polled by htmx while the run works."""
    run = matching.get_run_record(session, actor=actor, run_id=run_id)
    response = render(request, "matching/_run_status.html", {"run": run, "live": run.status in LIVE_RUN_STATUSES,
                                                             **STATUS_WORDS})
    if live and run.status not in LIVE_RUN_STATUSES:
        # The run has just finished: reload the whole page, which now has its proposals and gaps.
        response.headers["HX-Refresh"] = "true"
    return response
