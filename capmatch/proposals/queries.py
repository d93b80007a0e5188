"""Reading proposals: officers see all, a requester its needs' proposals, a provider its offers'.

A record carries the actions its reader may take now, from the workflow, so a UI shows only the
buttons that will work. It never carries the expert's personal data: that is the offer's to show
(capmatch.offers.queries.can_see_personal_data decides).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from capmatch.auth.actor import Actor, require_actor, require_role
from capmatch.enums import FIXED_PROPOSAL_STATUSES, LIVE_PROPOSAL_STATUSES
from capmatch.errors import InvalidInput, NotFound
from capmatch.i18n import _
from capmatch.needs.models import Need
from capmatch.offers.models import Offer
from capmatch.organizations.models import Organization
from capmatch.pagination import PageRequest, fetch_page
from capmatch.proposals import workflow as wf
from capmatch.proposals.models import Proposal
from capmatch.proposals.service import parties_of


@dataclass(frozen=True)
class OrgRef:
    id: int
    name: str
    acronym: str | None = None  # lists show it in place of the name


@dataclass(frozen=True)
class NeedRef:
    id: int
    title: str
    status: str
    positions: int
    requester: OrgRef


@dataclass(frozen=True)
class OfferRef:
    id: int
    title: str
    kind: str
    capacity: int
    reserved: int
    provider: OrgRef


@dataclass(frozen=True)
class ProposalRecord:
    id: int
    run_id: int | None
    need: NeedRef
    offer: OfferRef
    score: float
    breakdown: dict[str, Any]
    status: str
    reason: str | None
    deadline_at: datetime | None
    appraisal: int | None
    created_by_id: int | None
    created_at: datetime
    updated_at: datetime
    actions: tuple[str, ...]  # what the reader may do now (workflow.ACTIONS names)
    deployed_on: date | None = None  # the expert's date of arrival
    ended_on: date | None = None  # the deployment's last day


@dataclass(frozen=True)
class ProposalFilters:
    status: tuple[str, ...] = ()
    need: int | None = None
    offer: int | None = None
    run: int | None = None


def visible_proposals(actor: Actor) -> sa.ColumnElement[bool]:
    if actor.is_secretariat:
        return sa.true()
    if actor.organization_id is None:
        return sa.false()
    org = actor.organization_id
    return sa.or_(
        Proposal.need_id.in_(sa.select(Need.id).where(Need.requester_org_id == org)),
        Proposal.offer_id.in_(sa.select(Offer.id).where(Offer.provider_org_id == org)),
    )


def list_proposals(
    session: Session, *, actor: Actor | None, filters: ProposalFilters, page: PageRequest
) -> tuple[list[ProposalRecord], int]:
    actor = require_actor(actor)
    stmt = sa.select(Proposal).where(*proposal_conditions(actor, filters))
    proposals, total = fetch_page(session, stmt.order_by(Proposal.id.desc()), page)
    return describe_proposals(session, actor=actor, proposals=proposals), total


def proposal_conditions(actor: Actor, filters: ProposalFilters) -> list[sa.ColumnElement[bool]]:
    """The WHERE clauses of a list of proposals: those of the actor's side, and the filters."""
    f = filters
    where = [visible_proposals(actor)]
    if f.status:
        where.append(Proposal.status.in_(f.status))
    if f.need is not None:
        where.append(Proposal.need_id == f.need)
    if f.offer is not None:
        where.append(Proposal.offer_id == f.offer)
    if f.run is not None:
        where.append(Proposal.run_id == f.run)
    return where


def inbox_page(
    session: Session, *, actor: Actor, where: sa.ColumnElement[bool], statuses: tuple[str, ...], page: PageRequest,
) -> tuple[list[ProposalRecord], int, int]:
    """One page of an inbox: the proposals matching `where` in `statuses`, the most pressing answer
    (the oldest deadline) first, then those waiting on nobody, newest first. Returns (records,
    total, page number shown).

    A page past the end (the last item of the last page was just answered) shows the last page.
    """
    stmt = sa.select(Proposal).where(where, Proposal.status.in_(statuses))
    stmt = stmt.order_by(Proposal.deadline_at.asc().nulls_last(), Proposal.id.desc())
    rows, total = fetch_page(session, stmt, page)
    last = max(1, -(-total // page.page_size))
    if not rows and page.page > last:
        page = PageRequest(page=last, page_size=page.page_size)
        rows, total = fetch_page(session, stmt, page)
    return describe_proposals(session, actor=actor, proposals=rows), total, page.page


def count_by_status(session: Session, *, where: sa.ColumnElement[bool]) -> dict[str, int]:
    """How many proposals matching `where` are in each state (for an inbox's tabs)."""
    return dict(session.execute(
        sa.select(Proposal.status, sa.func.count()).where(where).group_by(Proposal.status)
    ).all())


def get_proposal(session: Session, *, actor: Actor | None, proposal_id: int) -> ProposalRecord:
    actor = require_actor(actor)
    proposal = session.scalar(sa.select(Proposal).where(Proposal.id == proposal_id, visible_proposals(actor)))
    if proposal is None:
        raise NotFound(_("No proposal has the id {number}.", number=proposal_id))
    return describe_proposals(session, actor=actor, proposals=[proposal])[0]


def describe_proposals(session: Session, *, actor: Actor, proposals: list[Proposal]) -> list[ProposalRecord]:
    if not proposals:
        return []
    requester, provider = aliased(Organization), aliased(Organization)
    needs = {
        n.id: (n, NeedRef(n.id, n.title, n.status, n.positions, OrgRef(n.requester_org_id, name, acronym)))
        for n, name, acronym in session.execute(
            sa.select(Need, requester.name, requester.acronym).join(requester, requester.id == Need.requester_org_id)
            .where(Need.id.in_({p.need_id for p in proposals}))
        )
    }
    offers = {
        o.id: (o, OfferRef(o.id, o.title, o.kind, o.capacity, o.reserved, OrgRef(o.provider_org_id, name, acronym)))
        for o, name, acronym in session.execute(
            sa.select(Offer, provider.name, provider.acronym).join(provider, provider.id == Offer.provider_org_id)
            .where(Offer.id.in_({p.offer_id for p in proposals}))
        )
    }
    records = []
    for p in proposals:
        need, need_ref = needs[p.need_id]
        offer, offer_ref = offers[p.offer_id]
        actions = wf.available_actions(p.status, parties_of(actor, need=need, offer=offer))
        records.append(ProposalRecord(
            id=p.id, run_id=p.run_id, need=need_ref, offer=offer_ref, score=p.score, breakdown=dict(p.breakdown or {}),
            status=p.status, reason=p.reason, deadline_at=p.deadline_at, appraisal=p.appraisal,
            created_by_id=p.created_by_id, created_at=p.created_at, updated_at=p.updated_at, actions=actions,
            deployed_on=p.deployed_on, ended_on=p.ended_on,
        ))
    return records


# --- a match run's proposals (the officer's run page and GET /api/v1/match-runs/{id}/proposals) ---

RUN_ORDERS = ("score", "-score", "need", "id")


class RunProposal(NamedTuple):
    """A row of a run's proposals (a tuple: 50 of them are made per page view)."""

    id: int
    run_id: int
    need_id: int
    need_title: str
    offer_id: int
    offer_title: str
    provider: str
    score: float
    breakdown: dict[str, Any]
    status: str
    provider_acronym: str | None = None  # lists show it in place of the name


def _run_order(sort: str) -> tuple:
    return {
        "score": (Proposal.score.desc(), Proposal.id),
        "-score": (Proposal.score.asc(), Proposal.id),
        "need": (Proposal.need_id, Proposal.id),
        "id": (Proposal.id,),
    }[sort]


# Built once per shape: building the select and its cache key on every page view cost more than running it.
@lru_cache(maxsize=32)
def _run_page_statement(sort: str, page_size: int, by_status: bool) -> sa.Select:
    """One page of a run's proposals: the page's ids are chosen on the proposals table alone, then joined.

    A 30,000-proposal run then sorts (id, score) pairs in the index rather than whole rows with their
    breakdowns. The page size is written into the SQL: PostgreSQL's generic plan for a prepared
    statement, not knowing the page is small, would hash-join the whole run.
    """
    order = _run_order(sort)
    chosen = sa.select(Proposal.id).where(Proposal.run_id == sa.bindparam("run_id"))
    if by_status:
        chosen = chosen.where(Proposal.status == sa.bindparam("status"))
    chosen = (
        chosen.order_by(*order)
        .offset(sa.bindparam("offset", type_=sa.Integer))
        .limit(sa.literal_column(str(int(page_size))))
        .subquery()
    )
    return (
        sa.select(Proposal.id, Proposal.run_id, Proposal.need_id, Need.title, Proposal.offer_id, Offer.title,
                  Organization.name, Proposal.score, Proposal.breakdown, Proposal.status, Organization.acronym)
        .join(chosen, chosen.c.id == Proposal.id)
        .join(Need, Need.id == Proposal.need_id)
        .join(Offer, Offer.id == Proposal.offer_id)
        .join(Organization, Organization.id == Offer.provider_org_id)
        .order_by(*order)
    )


def run_proposals(
    session: Session, *, actor: Actor | None, run_id: int, page: PageRequest, sort: str = "score",
    status: str | None = None, known_total: int | None = None,
) -> tuple[list[RunProposal], int]:
    """One page of a run's proposals, best first by default; `known_total` is the count a finished run recorded."""
    require_role(actor, "officer", "admin")
    if sort not in RUN_ORDERS:
        raise InvalidInput(_("The sort must be one of {orders}.", orders=", ".join(RUN_ORDERS)), field="sort")
    params: dict[str, Any] = {"run_id": run_id, "offset": page.offset}
    where = [Proposal.run_id == run_id]
    if status:
        params["status"] = status
        where.append(Proposal.status == status)
        known_total = None
    # A finished run's proposals are only ever re-stated, never added: its recorded count saves
    # counting tens of thousands of rows on every page view.
    total = known_total if known_total is not None else (
        session.scalar(sa.select(sa.func.count()).select_from(Proposal).where(*where)) or 0)
    # Core rows through the session's connection: nothing here is an ORM entity.
    rows = session.connection().execute(_run_page_statement(sort, page.page_size, bool(status)), params)
    return [RunProposal._make(row) for row in rows], total



@dataclass(frozen=True)
class PairStanding:
    """What the manual match form shows of a need and an offer before anything is saved."""

    positions: int
    free_positions: int  # positions no live or finished proposal holds
    existing_id: int | None  # the live proposal that already pairs them


def pair_standing(session: Session, *, actor: Actor | None, need_id: int, offer_id: int) -> PairStanding | None:
    """The need's free positions and the proposal already pairing the two, if any; None for no such need."""
    require_role(actor, "officer", "admin")
    positions = session.scalar(sa.select(Need.positions).where(Need.id == need_id))
    if positions is None:
        return None
    held = session.scalar(sa.select(sa.func.count()).select_from(Proposal).where(
        Proposal.need_id == need_id, Proposal.status.in_(FIXED_PROPOSAL_STATUSES))) or 0
    existing = session.scalar(sa.select(Proposal.id).where(
        Proposal.need_id == need_id, Proposal.offer_id == offer_id, Proposal.status.in_(LIVE_PROPOSAL_STATUSES)))
    return PairStanding(positions=positions, free_positions=max(positions - held, 0), existing_id=existing)
