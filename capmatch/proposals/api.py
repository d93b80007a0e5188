"""Proposals: review, the two consents, deployment and completion; manual and bulk decisions by officers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from capmatch.inputs import Id
from capmatch.pagination import Page
from capmatch.proposals import queries, service
from capmatch.proposals.queries import ProposalFilters
from capmatch.proposals.schemas import (
    ActionRequest, BulkRequest, BulkResult, CompleteRequest, DeployRequest, ManualProposalCreate, ProposalOut, ProposalStatus,
)
from capmatch.taxonomy.api import PageParams, page_of
from capmatch.web.deps import DbSession, MaybeActor

router = APIRouter()


@router.get("", response_model=Page[ProposalOut], summary="List the proposals you may see")
def list_proposals(
    session: DbSession,
    actor: MaybeActor,
    page: PageParams,
    status: Annotated[list[ProposalStatus] | None, Query(description="repeatable")] = None,
    need: Annotated[Id | None, Query(description="need id")] = None,
    offer: Annotated[Id | None, Query(description="offer id")] = None,
    run: Annotated[Id | None, Query(description="match run id")] = None,
):
    filters = ProposalFilters(status=tuple(status or ()), need=need, offer=offer, run=run)
    records, total = queries.list_proposals(session, actor=actor, filters=filters, page=page)
    return page_of(records, total, page)


@router.post("", response_model=ProposalOut, status_code=201, summary="Match a need and an offer by hand")
def create_proposal(body: ManualProposalCreate, session: DbSession, actor: MaybeActor):
    proposal = service.create_manual_proposal(
        session, actor=actor, need_id=body.need_id, offer_id=body.offer_id, reason=body.reason,
        override_reason=body.override_reason,
    )
    return queries.get_proposal(session, actor=actor, proposal_id=proposal.id)


@router.post("/bulk", response_model=BulkResult, summary="Approve or reject several proposals, all or nothing")
def bulk(body: BulkRequest, session: DbSession, actor: MaybeActor):
    proposals = service.decide_many(session, actor=actor, proposal_ids=body.ids, action=body.action,
                                    reason=body.reason)
    records = {r.id: r for r in queries.describe_proposals(session, actor=actor, proposals=proposals)}
    return {"items": [records[p.id] for p in proposals]}


@router.get("/{proposal_id}", response_model=ProposalOut, summary="One proposal")
def get_proposal(proposal_id: Id, session: DbSession, actor: MaybeActor):
    return queries.get_proposal(session, actor=actor, proposal_id=proposal_id)


def _action_route(action: str, summary: str) -> None:
    def endpoint(proposal_id: Id, session: DbSession, actor: MaybeActor, body: ActionRequest | None = None):
        service.act(session, actor=actor, proposal_id=proposal_id, action=action,
                    reason=body.reason if body else None)
        return queries.get_proposal(session, actor=actor, proposal_id=proposal_id)

    endpoint.__name__ = f"{action}_proposal"
    router.add_api_route(f"/{{proposal_id}}/{action}", endpoint, methods=["POST"], response_model=ProposalOut,
                         summary=summary)


for _action, _summary in (
    ("approve", "Approve a proposal (officers); reserves the offer's capacity"),
    ("reject", "Reject a proposal with a reason (officers)"),
    ("accept", "Accept a proposal: host consent (requester)"),
    ("decline", "Decline a proposal with a reason (requester or provider)"),
    ("confirm", "Confirm the release of the expert (provider)"),
    ("withdraw", "Withdraw from an approved or later proposal, with a reason"),
):
    _action_route(_action, _summary)


@router.post("/{proposal_id}/complete", response_model=ProposalOut, summary="Complete a deployment with an appraisal")
def complete_proposal(proposal_id: Id, body: CompleteRequest, session: DbSession, actor: MaybeActor):
    service.act(session, actor=actor, proposal_id=proposal_id, action="complete", reason=body.reason,
                appraisal=body.appraisal, ended_on=body.ended_on)
    return queries.get_proposal(session, actor=actor, proposal_id=proposal_id)


@router.post("/{proposal_id}/deploy", response_model=ProposalOut,
             summary="Record that the expert is deployed, with the date of arrival (provider or officers)")
def deploy_proposal(proposal_id: Id, session: DbSession, actor: MaybeActor, body: DeployRequest | None = None):
    service.act(session, actor=actor, proposal_id=proposal_id, action="deploy",
                reason=body.reason if body else None, arrived_on=body.arrived_on if body else None)
    return queries.get_proposal(session, actor=actor, proposal_id=proposal_id)
