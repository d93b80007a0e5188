"""One proposal as the person reading its page may see it: the need, the offer, the score, the steps
taken so far, the step awaited and the actions this reader may take.

Its officers, the requesting organization's users and the providing organization's see it; to
anyone else it does not exist. The offer comes as capmatch.offers.queries describes it for the
reader, so a requester sees the expert anonymized until the provider confirms, as in the inboxes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.audit.models import AuditEvent
from capmatch.auth.actor import Actor, require_actor
from capmatch.errors import NotFound
from capmatch.i18n import _
from capmatch.needs.models import Need
from capmatch.needs.queries import NeedRecord, describe_needs
from capmatch.offers.models import Offer
from capmatch.offers.queries import OfferRecord, describe_offers
from capmatch.proposals import steps
from capmatch.proposals.models import Proposal
from capmatch.proposals.queries import ProposalRecord, describe_proposals
from capmatch.proposals.service import can_see_proposal, parties_of

# The audit events that are steps of a proposal, and the party each implies when it names none.
_IMPLIED_PARTY = {"propose": "officer", "superseded": "system", "expire": "system"}


@dataclass(frozen=True)
class Step:
    """One audited step: when, which side took it (not which person: the other side's staff are theirs),
    what it did and why."""

    occurred_at: datetime
    action: str
    party: str | None
    from_state: str | None
    to_state: str | None
    reason: str | None
    data: dict[str, Any]


@dataclass(frozen=True)
class ProposalPage:
    proposal: ProposalRecord
    need: NeedRecord
    offer: OfferRecord
    timeline: list[Step]
    next_step: steps.NextStep | None
    parties: frozenset[str]  # who the reader is to this proposal (workflow parties)

    @property
    def my_turn(self) -> bool:
        return bool(self.next_step and set(self.next_step.actions) & set(self.proposal.actions))


def proposal_page(session: Session, *, actor: Actor | None, proposal_id: int) -> ProposalPage:
    actor = require_actor(actor)
    proposal = session.get(Proposal, proposal_id)
    need = session.get(Need, proposal.need_id) if proposal is not None else None
    offer = session.get(Offer, proposal.offer_id) if proposal is not None else None
    if proposal is None or not can_see_proposal(actor, need=need, offer=offer):
        raise NotFound(_("No proposal has the id {number}.", number=proposal_id))
    [record] = describe_proposals(session, actor=actor, proposals=[proposal])
    [need_record] = describe_needs(session, [need])
    [offer_record] = describe_offers(session, actor=actor, offers=[offer])
    return ProposalPage(
        proposal=record, need=need_record, offer=offer_record, timeline=timeline(session, proposal),
        next_step=steps.next_step(proposal.status, deadline_at=proposal.deadline_at, start_by=need.start_by,
                                  duration_months=need.duration_months, deployed_on=proposal.deployed_on),
        parties=parties_of(actor, need=need, offer=offer),
    )


def timeline(session: Session, proposal: Proposal) -> list[Step]:
    """The proposal's audited steps, oldest first, opening with its proposal by a run when no event says so."""
    events = session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.entity_type == "proposal", AuditEvent.entity_id == proposal.id)
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    ).all()
    out = [
        Step(e.occurred_at, e.action, (e.data or {}).get("party") or _IMPLIED_PARTY.get(e.action), e.from_state,
             e.to_state, e.reason, dict(e.data or {}))
        for e in events
    ]
    if not any(s.action == "propose" for s in out):
        # A run writes its proposals in bulk, without an event each: the run is the record of it.
        out.insert(0, Step(proposal.created_at, "propose", "system", None, "proposed", None,
                           {"run_id": proposal.run_id} if proposal.run_id else {}))
    return out
