"""The two parties' proposals inboxes: the requester's (accept, decline, deployed experts) and the provider's
(confirm, decline); and each proposal's own page, where every party takes every step open to it.

Each answer is a POST from the proposal's own form; a refusal shows the inbox (or the proposal's
page) again with the message on that proposal, success is a 303 back to the page the answer was given on.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request

from capmatch.errors import CapmatchError, NotFound
from capmatch.i18n import _
from capmatch.inputs import Id
from capmatch.offers.views import OrgParam, RosterUser, carried_org
from capmatch.pagination import PageRequest
from capmatch.proposals import deployment, inbox
from capmatch.proposals import page as proposal_pages
from capmatch.proposals import queries as proposal_queries
from capmatch.proposals import service as proposal_service
from capmatch.proposals.schemas import ActionRequest, CompleteRequest, DeployRequest
from capmatch.proposals.workflow import ACTIONS
from capmatch.taxonomy.service import reference_choices
from capmatch.web import labels
from capmatch.web.deps import DbSession, PageNumber
from capmatch.web.forms import Form, FormErrors, page_number, save, text, valid_part, validate
from capmatch.web.session import CurrentRequester, CurrentUser, flash
from capmatch.web.links import redirect_to
from capmatch.web.templating import render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 25


# --- the requester's inbox -----------------------------------------------------------------------


def _requester_page(request: Request, session, actor, *, view: str, page: int, errors: FormErrors | None = None,
                    status_code: int = 200):
    view = view if view in inbox.REQUESTER_VIEWS else "awaiting"
    data = inbox.requester_inbox(session, actor=actor, view=view, page=PageRequest(page=page, page_size=PAGE_SIZE))
    return render(request, "proposals/requester_inbox.html", {
        "inbox": data, "view": view, "views": list(inbox.REQUESTER_VIEWS), "page": data.page,
        "page_size": PAGE_SIZE, "query": f"view={view}", "errors": errors or FormErrors(),
        "choices": reference_choices(session),
    }, status_code=status_code)


@router.get("/my/proposals")
def my_proposals(request: Request, session: DbSession, actor: CurrentRequester, view: str = "awaiting",
                 page: PageNumber = 1):
    return _requester_page(request, session, actor, view=view, page=page)


@router.post("/my/proposals/{proposal_id}/{action}")
def answer_as_requester(proposal_id: Id, action: str, request: Request, session: DbSession,
                        actor: CurrentRequester, form: Form):
    if action not in ("accept", "decline"):
        raise NotFound(_("No such page."))
    # The page the answer was given on: shown again with the error, or returned to after it.
    page = page_number(form)
    errors = FormErrors()
    reason = text(form, "reason")[:2000] or None
    proposal = save(session, errors, {"reason"}, lambda: proposal_service.act(
        session, actor=actor, proposal_id=proposal_id, action=action, reason=reason))
    if proposal is None:
        # The message goes on this proposal's reason box, or above the list.
        message = next(iter(errors.values()))
        field = f"reason-{proposal_id}" if "reason" in errors else ""
        return _requester_page(request, session, actor, view="awaiting", page=page,
                               errors=FormErrors({field: message}), status_code=400)
    if action == "decline":
        message = _("Proposal {number} is declined.", number=proposal_id)
    elif proposal.status == "agreed":
        message = _("Proposal {number} is accepted. Both sides have agreed: the expert's full profile is under "
                    "Deployed experts.", number=proposal_id)
    else:
        message = _("Proposal {number} is accepted.", number=proposal_id)
    flash(request, message)
    return redirect_to(request, "my_proposals", {"page": page if page > 1 else None})


@router.get("/my/deployed")
def deployed(request: Request, session: DbSession, actor: CurrentRequester, page: PageNumber = 1):
    data = inbox.deployed_experts(session, actor=actor, page=PageRequest(page=page, page_size=PAGE_SIZE))
    return render(request, "proposals/deployed.html", {
        "inbox": data, "page": data.page, "page_size": PAGE_SIZE, "choices": reference_choices(session),
    })


# --- the provider's inbox ------------------------------------------------------------------------


def _provider_page(request: Request, session, actor, *, org: int | None, view: str, page: int,
                   errors: FormErrors | None = None, status_code: int = 200):
    view = view if view in inbox.PROVIDER_VIEWS else "awaiting"
    data = inbox.provider_inbox(session, actor=actor, provider_org_id=org, view=view,
                                page=PageRequest(page=page, page_size=PAGE_SIZE))
    org_query = carried_org(actor, data.organization_id)
    return render(request, "proposals/provider_inbox.html", {
        "inbox": data, "view": view, "views": list(inbox.PROVIDER_VIEWS), "page": data.page,
        "page_size": PAGE_SIZE, "org_query": org_query,
        "query": "&".join(q for q in (org_query, f"view={view}") if q),
        "errors": errors or FormErrors(), "choices": reference_choices(session),
    }, status_code=status_code)


@router.get("/provider/proposals")
def provider_proposals(request: Request, session: DbSession, actor: RosterUser, org: OrgParam = None,
                       view: str = "awaiting", page: PageNumber = 1):
    if actor.is_secretariat and org is None:
        return redirect_to(request, "dashboard")
    return _provider_page(request, session, actor, org=org, view=view, page=page)


@router.post("/provider/proposals/{proposal_id}")
def answer_as_provider(proposal_id: Id, request: Request, session: DbSession, actor: RosterUser, form: Form,
                       org: OrgParam = None):
    action, reason = text(form, "action"), text(form, "reason")
    # The page the answer was given on: shown again with the error, or returned to after it.
    page = page_number(form)
    try:
        with session.begin_nested():
            inbox.answer_as_provider(session, actor=actor, proposal_id=proposal_id, action=action,
                                     reason=reason or None)
    except CapmatchError as exc:
        if exc.status in (401, 403, 404):
            raise
        # Shown on the proposal's own form: a missing reason is 400, an answer overtaken by events 409.
        return _provider_page(request, session, actor, org=org, view="awaiting", page=page,
                              errors=FormErrors({f"proposal-{proposal_id}": exc.message}),
                              status_code=409 if exc.status == 409 else 400)
    flash(request, _("Proposal {number} confirmed: the expert's release is recorded.", number=proposal_id)
          if action == "confirm" else _("Proposal {number} declined.", number=proposal_id))
    query = "&".join(q for q in (f"org={org}" if actor.is_secretariat and org else "",
                                 f"page={page}" if page > 1 else "") if q)
    return redirect_to(request, "provider_proposals", query)


# --- one proposal's page -------------------------------------------------------------------------

# What each action's form posts, as the API's bodies take it: the same schema judges both.
ACTION_BODIES = {"deploy": DeployRequest, "complete": CompleteRequest}
ACTION_FIELDS = ("reason", "appraisal", "arrived_on", "ended_on")


def _proposal_page(request: Request, session, actor, proposal_id: int, *, action: str = "",
                   errors: FormErrors | None = None, values: dict | None = None, status_code: int = 200):
    data = proposal_pages.proposal_page(session, actor=actor, proposal_id=proposal_id)
    return render(request, "proposals/detail.html", {
        "data": data, "p": data.proposal, "o": data.offer, "choices": reference_choices(session),
        "errors": errors or FormErrors(), "failed_action": action, "values": values or {},
        "today": date.today().isoformat(), "party_labels": labels.PARTY_LABELS,
        "step_labels": labels.STEP_LABELS, "next_labels": labels.NEXT_STEP_LABELS,
        "action_labels": labels.ACTION_BUTTONS,
    }, status_code=status_code)


@router.get("/proposals/{proposal_id}")
def proposal_detail(proposal_id: Id, request: Request, session: DbSession, actor: CurrentUser):
    return _proposal_page(request, session, actor, proposal_id)


@router.post("/proposals/{proposal_id}/{action}")
def act_on_proposal(proposal_id: Id, action: str, request: Request, session: DbSession, actor: CurrentUser,
                    form: Form):
    """One workflow action from the proposal's page; a refusal shows the page again with the message on its form."""
    if action not in ACTIONS:
        raise NotFound(_("No such page."))
    values = {name: text(form, name)[:2000] for name in ACTION_FIELDS}
    schema = ACTION_BODIES.get(action, ActionRequest)
    data = {name: values[name] or None for name in schema.model_fields}
    body, errors = validate(schema, data)
    status = 400
    ended_on = valid_part(schema, data, errors).get("ended_on") if errors and action == "complete" else None
    if ended_on is not None:  # a day still to come, or before the arrival, is said with the appraisal missing
        arrived_on = proposal_queries.get_proposal(session, actor=actor, proposal_id=proposal_id).deployed_on
        if problem := deployment.end_date_problem(ended_on, arrived_on=arrived_on, today=date.today()):
            errors.add("ended_on", problem)
    if body is not None:
        try:
            with session.begin_nested():
                proposal_service.act(session, actor=actor, proposal_id=proposal_id, action=action,
                                     reason=body.reason, appraisal=getattr(body, "appraisal", None),
                                     arrived_on=getattr(body, "arrived_on", None),
                                     ended_on=getattr(body, "ended_on", None))
        except CapmatchError as exc:
            if exc.status in (401, 403, 404):
                raise
            errors.add(exc.field if exc.field in ACTION_FIELDS else "", exc.message)
            status = 409 if exc.status == 409 else 400
    if errors:
        return _proposal_page(request, session, actor, proposal_id, action=action, errors=errors, values=values,
                              status_code=status)
    flash(request, labels.STEP_DONE.get(action) or _("Done."))
    return redirect_to(request, "proposal_detail", proposal_id=proposal_id)
