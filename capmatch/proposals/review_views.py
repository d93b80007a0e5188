"""The officer's review of proposals (filter, approve, reject, in batches) and matching by hand.

A batch of decisions decides each proposal that can be and says which could not and why; asked
for all or nothing, it runs in one savepoint, and a refusal shows the page again with the reason.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse

from capmatch.enums import MATCHABLE_NEED_STATUSES, PROPOSAL_STATUSES
from capmatch.errors import CapmatchError
from capmatch.i18n import gettext, ngettext
from capmatch.needs import queries as need_queries
from capmatch.needs.queries import NeedFilters
from capmatch.offers import queries as offer_queries
from capmatch.offers.queries import OfferFilters
from capmatch.pagination import PageRequest
from capmatch.proposals import bulk, forms
from capmatch.proposals import queries as proposal_queries
from capmatch.proposals import service as proposal_service
from capmatch.proposals.queries import ProposalFilters
from capmatch.web.deps import DbSession, PageNumber
from capmatch.web.forms import Form, FormErrors, parse_id, save, text
from capmatch.web.labels import RULE_LABELS, RULES_BROKEN_MESSAGE
from capmatch.web.listing import here
from capmatch.web.session import CurrentOfficer, flash
from capmatch.web.links import path_for, redirect_to
from capmatch.web.templating import render

router = APIRouter(prefix="/officer", include_in_schema=False)

PAGE_SIZE = 50


def decide(request: Request, session, actor, form) -> tuple[FormErrors, str]:
    """Approve or reject the proposals the form names: each that can be, or all or nothing when the
    officer asks. The errors, if nothing was decided, and the anchor of the first row acted on."""
    errors = FormErrors()
    decision = forms.read_decision(form, errors)
    if decision is None:
        return errors, ""
    args = {"actor": actor, "proposal_ids": decision.ids, "action": decision.action, "reason": decision.reason}
    if decision.all_or_nothing:
        done = save(session, errors, {"reason", "ids"}, lambda: proposal_service.decide_many(session, **args),
                    page_statuses=(401, 403))
        refused: list[tuple[int, str]] = []
    else:
        outcome = save(session, errors, {"reason", "ids"}, lambda: bulk.decide_each(session, **args),
                       page_statuses=(401, 403))
        done, refused = outcome if outcome is not None else (None, [])
        if done == [] and refused:
            errors.add("ids", " ".join(_refusal(pid, message, len(refused) > 1) for pid, message in refused))
            return errors, ""
    if done is None:
        return errors, ""
    flash(request, _decided(decision.action, done))
    if refused:
        flash(request, _not_decided(decision.action, len(refused),
                                    " ".join(_refusal(pid, message, True) for pid, message in refused)), "error")
    return errors, f"#proposal-{decision.ids[0]}"


def _decided(action: str, done: list) -> str:
    if action == "approve":
        if len(done) == 1:
            return gettext("Proposal {number} is approved.", number=done[0].id)
        return ngettext("{count} proposal is approved.", "{count} proposals are approved.", len(done))
    if len(done) == 1:
        return gettext("Proposal {number} is rejected.", number=done[0].id)
    return ngettext("{count} proposal is rejected.", "{count} proposals are rejected.", len(done))


def _not_decided(action: str, count: int, refusals: str) -> str:
    if action == "approve":
        return ngettext("{count} could not be approved: {refusals}", "{count} could not be approved: {refusals}",
                        count, refusals=refusals)
    return ngettext("{count} could not be rejected: {refusals}", "{count} could not be rejected: {refusals}",
                    count, refusals=refusals)


def _refusal(proposal_id: int, message: str, many: bool) -> str:
    return gettext("Proposal {number}: {message}", number=proposal_id, message=message) if many else message


# --- proposals -----------------------------------------------------------------------------------


def _proposals_page(request: Request, session, actor, *, params: dict[str, Any], page: int,
                    errors: FormErrors | None = None, reason: str = "", all_or_nothing: bool = False,
              status_code: int = 200):
    errors = errors or FormErrors()
    status = tuple(s for s in params["status"] if s in PROPOSAL_STATUSES)
    ids = {name: parse_id(params[name], name, errors) for name in ("need", "offer", "run")}
    filters = ProposalFilters(status=status, need=ids["need"], offer=ids["offer"], run=ids["run"])
    records, total = proposal_queries.list_proposals(session, actor=actor, filters=filters,
                                                     page=PageRequest(page, PAGE_SIZE))
    query = urlencode([("status", s) for s in status] + [(k, v) for k, v in ids.items() if v is not None])
    return render(request, "proposals/review.html", {
        "records": records, "total": total, "page": page, "page_size": PAGE_SIZE, "statuses": PROPOSAL_STATUSES,
        "status": status, "values": {k: params[k] for k in ("need", "offer", "run")}, "query": query,
        "errors": errors, "here": here(request), "reason": reason, "all_or_nothing": all_or_nothing,
    }, status_code=400 if errors and status_code == 200 else status_code)


@router.api_route("/proposals", methods=["GET", "POST"])
def proposals(request: Request, session: DbSession, actor: CurrentOfficer, form: Form,
              status: Annotated[list[str], Query()] = [], need: str = "", offer: str = "", run: str = "",  # noqa: B006
              page: PageNumber = 1):
    params = {"status": status, "need": need.strip(), "offer": offer.strip(), "run": run.strip()}
    if request.method == "POST":
        errors, anchor = decide(request, session, actor, form)
        if not errors:
            return RedirectResponse(here(request) + anchor, status_code=303)
        return _proposals_page(request, session, actor, params=params, page=page, errors=errors,
                               reason=text(form, "reason"),
                         all_or_nothing=text(form, "all_or_nothing") == "1", status_code=400)
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
    ids = {k: parse_id(values.get(k, ""), k, FormErrors()) for k in ("need_id", "offer_id")}
    need_q, offer_q = values.get("need_q", ""), values.get("offer_q", "")
    need_hits = offer_hits = None
    if need_q:
        need_hits, _total = need_queries.list_needs(session, actor=actor, page=SEARCH, filters=NeedFilters(
            q=need_q, status=MATCHABLE_NEED_STATUSES))
    if offer_q:
        offer_hits, _total = offer_queries.list_offers(session, actor=actor, page=SEARCH, filters=OfferFilters(
            q=offer_q, status=("available", "reserved")))
    keep = {k: v for k, v in values.items() if k in ("need_id", "offer_id", "need_q", "offer_q") and v}
    found = _lookup(session, actor, **ids)
    check = standing = None
    if found["need"] and found["offer"]:  # both exist: say how a run would judge the pair
        check = proposal_service.check_manual_pair(session, actor=actor, **ids)
        standing = proposal_queries.pair_standing(session, actor=actor, **ids)
    return render(request, "proposals/match.html", {
        "values": values, "errors": errors, "need_hits": need_hits, "offer_hits": offer_hits,
        "choose": lambda **change: path_for(request, "manual_match", urlencode({**keep, **change})),
        "check": check, "standing": standing, "rule_labels": RULE_LABELS, **found,
    }, status_code=status_code)


@router.api_route("/match", methods=["GET", "POST"])
def manual_match(request: Request, session: DbSession, actor: CurrentOfficer, form: Form):
    if request.method == "GET":
        values = {k: request.query_params.get(k, "").strip()[:200]
                  for k in ("need_id", "offer_id", "need_q", "offer_q")}
        return _match_page(request, session, actor, values=values, errors=FormErrors())
    values = {k: text(form, k) for k in ("need_id", "offer_id", "reason", "override_reason")}
    errors = FormErrors()
    need_id, offer_id = parse_id(values["need_id"], "need_id", errors), parse_id(values["offer_id"], "offer_id", errors)
    for name, ident in (("need_id", need_id), ("offer_id", offer_id)):
        if ident is None and name not in errors:
            errors.add(name, gettext("Enter the number of the need.") if name == "need_id"
                       else gettext("Enter the number of the offer."))
    if not values["reason"]:
        errors.add("reason", gettext("Say why you match these by hand."))
    proposal = None
    if not errors:
        proposal = save(session, errors, {"need_id", "offer_id", "reason", "override_reason"}, lambda: (
            proposal_service.create_manual_proposal(session, actor=actor, need_id=need_id, offer_id=offer_id,
                                                    reason=values["reason"][:2000],
                                                    override_reason=values["override_reason"][:2000])),
            page_statuses=(401, 403))
        if "override_reason" in errors:  # the rules are listed in words above the box
            errors["override_reason"] = gettext(RULES_BROKEN_MESSAGE)
    if proposal is None:
        return _match_page(request, session, actor, values=values, errors=errors, status_code=400)
    flash(request, gettext("Proposal {number} is made. Approve it below when you are ready.", number=proposal.id))
    return redirect_to(request, "proposals", {"need": need_id})


@router.get("/match/lookup")
def match_lookup(request: Request, session: DbSession, actor: CurrentOfficer, need_id: str = "",
                 offer_id: str = ""):
    """What one id names, for the manual match form to show beside the input as it is typed."""
    kind = "need" if need_id else "offer"
    raw = (need_id or offer_id).strip()
    ident = parse_id(raw, kind, FormErrors())
    record = _lookup(session, actor, **{f"{kind}_id": ident, ("offer_id" if kind == "need" else "need_id"): None})[kind]
    if raw and ident is None:
        record = False
    return render(request, "proposals/_lookup.html", {"kind": kind, "record": record})
