"""The two parties' proposals inboxes: the requester's (accept, decline, deployed experts) and the provider's (confirm, decline).

Each answer is a POST from the proposal's own form; a refusal shows the inbox again with the
message on that proposal, success is a 303 back to the page the answer was given on.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from capmatch.errors import CapmatchError, NotFound
from capmatch.inputs import Id
from capmatch.offers.views import OrgParam, RosterUser, carried_org
from capmatch.pagination import PageRequest
from capmatch.proposals import inbox
from capmatch.proposals import service as proposal_service
from capmatch.taxonomy.service import reference_choices
from capmatch.web.deps import DbSession, PageNumber
from capmatch.web.forms import Form, FormErrors, page_number, save, text
from capmatch.web.session import CurrentRequester, flash
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
        raise NotFound("No such page.")
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
    done = "accepted" if action == "accept" else "declined"
    flash(request, f"Proposal {proposal_id} is {done}." + (
        " Both sides have agreed: the expert's full profile is under Deployed experts."
        if proposal.status == "agreed" else ""))
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
    verb = "confirmed: the expert's release is recorded" if action == "confirm" else "declined"
    flash(request, f"Proposal {proposal_id} {verb}.")
    query = "&".join(q for q in (f"org={org}" if actor.is_secretariat and org else "",
                                 f"page={page}" if page > 1 else "") if q)
    return redirect_to(request, "provider_proposals", query)
