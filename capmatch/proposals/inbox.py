"""The two parties' proposals inboxes, one type for both: a page of one view, with its tabs' counts.

The requester's inbox holds the proposals for the organization's own needs, each with its offer as
the requester may see it (anonymized until released); the provider's holds the proposals of the
organization's offers, each with the need's few facts and the provider's own expert's name. An
organization on both sides finds each side's proposals in that side's inbox only. The answers
themselves are capmatch.proposals.service's; the provider's go through `answer_as_provider`, which
checks that the proposal is this inbox's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.auth.actor import Actor, require_role
from capmatch.errors import Forbidden, InvalidInput, NotFound
from capmatch.i18n import _
from capmatch.needs.models import Need
from capmatch.offers.models import Offer
from capmatch.offers.queries import OfferRecord, describe_offers
from capmatch.offers.roster import roster_organization
from capmatch.pagination import PageRequest
from capmatch.proposals import service as proposals
from capmatch.proposals.models import Proposal
from capmatch.proposals.queries import ProposalRecord, count_by_status, inbox_page

# Each party's tabs and the states they hold. The requester's answer is awaited once an officer
# approved (or the provider already released); the provider's once approved (or the requester accepted).
REQUESTER_VIEWS = {
    "awaiting": ("approved", "confirmed"),
    "provider": ("accepted",),
}
PROVIDER_VIEWS = {
    "awaiting": ("approved", "accepted"),
    "agreed": ("confirmed", "agreed", "deployed"),
    "closed": ("completed", "declined", "withdrawn", "expired", "rejected"),
}
DEPLOYED = ("agreed", "deployed", "completed")
PROVIDER_ACTIONS = ("confirm", "decline")


@dataclass(frozen=True)
class NeedFacts:
    duty_country: str
    start_by: date
    duration_months: int


@dataclass(frozen=True)
class InboxItem:
    proposal: ProposalRecord
    offer: OfferRecord | None = None  # the requester's side: the offer as they may see it
    need: NeedFacts | None = None  # the provider's side: what the need asks
    expert_name: str | None = None  # the provider's side: their own expert


@dataclass(frozen=True)
class Inbox:
    items: list[InboxItem]
    total: int  # in the view shown
    page: int  # the page shown: the last one when the one asked for is past the end
    counts: dict[str, int] = field(default_factory=dict)  # in each view, for the tabs
    organization_id: int | None = None
    organization_name: str = ""

    @property
    def awaiting(self) -> int:
        return self.counts.get("awaiting", 0)


def requester_inbox(session: Session, *, actor: Actor | None, view: str = "awaiting", page: PageRequest) -> Inbox:
    """One page of one view (REQUESTER_VIEWS) of the proposals for the actor's organization's needs."""
    mine = _my_needs_proposals(actor)
    records, total, shown = inbox_page(session, actor=actor, where=mine,
                                       statuses=REQUESTER_VIEWS.get(view, REQUESTER_VIEWS["awaiting"]), page=page)
    return Inbox(_with_offers(session, actor, records), total, shown,
                 _counts(session, mine, REQUESTER_VIEWS), actor.organization_id)


def deployed_experts(session: Session, *, actor: Actor | None, page: PageRequest) -> Inbox:
    """One page of the matches both sides agreed to, deployed or completed, for the organization's needs."""
    mine = _my_needs_proposals(actor)
    records, total, shown = inbox_page(session, actor=actor, where=mine, statuses=DEPLOYED, page=page)
    return Inbox(_with_offers(session, actor, records), total, shown, organization_id=actor.organization_id)


def provider_inbox(
    session: Session, *, actor: Actor | None, provider_org_id: int | None = None, view: str = "awaiting",
    page: PageRequest,
) -> Inbox:
    """One page of one view (PROVIDER_VIEWS) of the proposals of a provider's offers."""
    org = roster_organization(session, actor=actor, provider_org_id=provider_org_id)
    mine = Proposal.offer_id.in_(sa.select(Offer.id).where(Offer.provider_org_id == org.id))
    records, total, shown = inbox_page(session, actor=actor, where=mine,
                                       statuses=PROVIDER_VIEWS.get(view, PROVIDER_VIEWS["awaiting"]), page=page)
    needs = {
        n.id: NeedFacts(n.duty_country_iso3, n.start_by, n.duration_months)
        for n in session.scalars(sa.select(Need).where(Need.id.in_({r.need.id for r in records})))
    } if records else {}
    experts = dict(session.execute(
        sa.select(Offer.id, Offer.expert_name).where(Offer.id.in_({r.offer.id for r in records}))
    ).all()) if records else {}
    items = [InboxItem(r, need=needs[r.need.id], expert_name=experts.get(r.offer.id)) for r in records]
    return Inbox(items, total, shown, _counts(session, mine, PROVIDER_VIEWS), org.id, org.name)


def answer_as_provider(
    session: Session, *, actor: Actor | None, proposal_id: int, action: str, reason: str | None = None
) -> Proposal:
    """Confirm the release of the organization's expert, or decline (a reason is required)."""
    if action not in PROVIDER_ACTIONS:
        raise InvalidInput(_("Confirm or decline the proposal."), field="action")
    proposal = session.get(Proposal, proposal_id)
    offer = session.get(Offer, proposal.offer_id) if proposal is not None else None
    if offer is None:
        raise NotFound(_("No proposal has the id {number}.", number=proposal_id))
    # Only this inbox's proposals: an organization that also requests must not answer for the requester here.
    roster_organization(session, actor=actor, provider_org_id=offer.provider_org_id)
    return proposals.act(session, actor=actor, proposal_id=proposal_id, action=action, reason=reason)


def _my_needs_proposals(actor: Actor | None) -> sa.ColumnElement[bool]:
    actor = require_role(actor, "requester")
    if actor.organization_id is None:
        raise Forbidden(_("Your account belongs to no requesting organization."))
    return Proposal.need_id.in_(sa.select(Need.id).where(Need.requester_org_id == actor.organization_id))


def _counts(session: Session, where, views: dict[str, tuple[str, ...]]) -> dict[str, int]:
    by_status = count_by_status(session, where=where)
    return {v: sum(by_status.get(s, 0) for s in states) for v, states in views.items()}


def _with_offers(session: Session, actor: Actor, records: list[ProposalRecord]) -> list[InboxItem]:
    rows = session.scalars(sa.select(Offer).where(Offer.id.in_({r.offer.id for r in records}))).all() if records else []
    offers = {o.id: o for o in describe_offers(session, actor=actor, offers=list(rows))}
    return [InboxItem(r, offer=offers[r.offer.id]) for r in records]
