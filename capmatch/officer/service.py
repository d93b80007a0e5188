"""Reads the officer's console needs that no domain service offers: the dashboard's counts and an entity's audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.audit.models import AuditEvent
from capmatch.auth.actor import Actor, require_role
from capmatch.auth.models import User
from capmatch.enums import FIXED_PROPOSAL_STATUSES, MATCHABLE_NEED_STATUSES
from capmatch.errors import InvalidInput
from capmatch.matching.models import MatchRun, RunGap
from capmatch.needs.models import Need
from capmatch.offers.models import Offer
from capmatch.organizations.models import Organization
from capmatch.pagination import PageRequest
from capmatch.proposals import workflow as wf
from capmatch.proposals.models import Proposal

# Whose answer a proposal waits for, by state (the officer's is "proposed").
AWAITING_OFFICER = ("proposed",)
AWAITING_REQUESTER = tuple(s for s, parties in wf.AWAITING.items() if wf.REQUESTER in parties)
AWAITING_PROVIDER = tuple(s for s, parties in wf.AWAITING.items() if wf.PROVIDER in parties)

AUDITED_ENTITIES = ("need", "offer", "proposal", "match_run")


@dataclass(frozen=True)
class Dashboard:
    open_needs: int
    open_positions: int
    unfilled_positions: int
    awaiting_officer: int
    awaiting_requester: int
    awaiting_provider: int


def dashboard(session: Session, *, actor: Actor | None) -> Dashboard:
    require_role(actor, "officer", "admin")
    held = (
        sa.select(Proposal.need_id, sa.func.count().label("held"))
        .where(Proposal.status.in_(FIXED_PROPOSAL_STATUSES))
        .group_by(Proposal.need_id)
        .subquery()
    )
    open_needs, open_positions, unfilled = session.execute(
        sa.select(
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(Need.positions), 0),
            # A need may hold more than its positions if the requester lowered them: never below zero.
            sa.func.coalesce(sa.func.sum(sa.func.greatest(Need.positions - sa.func.coalesce(held.c.held, 0), 0)), 0),
        )
        .select_from(Need)
        .outerjoin(held, held.c.need_id == Need.id)
        .where(Need.status.in_(MATCHABLE_NEED_STATUSES))
    ).one()
    officer, requester, provider = session.execute(
        sa.select(
            sa.func.count().filter(Proposal.status.in_(AWAITING_OFFICER)),
            sa.func.count().filter(Proposal.status.in_(AWAITING_REQUESTER)),
            sa.func.count().filter(Proposal.status.in_(AWAITING_PROVIDER)),
        ).where(Proposal.status.in_(AWAITING_OFFICER + AWAITING_REQUESTER + AWAITING_PROVIDER))
    ).one()
    return Dashboard(open_needs=open_needs, open_positions=int(open_positions), unfilled_positions=int(unfilled),
                     awaiting_officer=officer, awaiting_requester=requester, awaiting_provider=provider)


@dataclass(frozen=True)
class AuditEntry:
    occurred_at: datetime
    actor_name: str | None  # None: the system (a job or the command line)
    actor_email: str | None
    action: str
    from_state: str | None
    to_state: str | None
    reason: str | None
    data: dict[str, Any]


@dataclass(frozen=True)
class AuditTrail:
    entity_type: str
    entity_id: int
    label: str | None  # what the entity is called now; None when no such row exists
    entries: list[AuditEntry]
    total: int


def audit_trail(
    session: Session, *, actor: Actor | None, entity_type: str, entity_id: int, page: PageRequest
) -> AuditTrail:
    """Who changed the entity, when, from which state to which and why: oldest first, as it happened."""
    require_role(actor, "officer", "admin")
    if entity_type not in AUDITED_ENTITIES:
        raise InvalidInput(f"Choose one of: {', '.join(AUDITED_ENTITIES)}.", field="entity")
    where = (AuditEvent.entity_type == entity_type, AuditEvent.entity_id == entity_id)
    total = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(*where)) or 0
    rows = session.execute(
        sa.select(AuditEvent, User.full_name, User.email)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(*where)
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
        .offset(page.offset)
        .limit(page.page_size)
    ).all()
    entries = [
        AuditEntry(occurred_at=e.occurred_at, actor_name=name, actor_email=email, action=e.action,
                   from_state=e.from_state, to_state=e.to_state, reason=e.reason, data=dict(e.data or {}))
        for e, name, email in rows
    ]
    return AuditTrail(entity_type=entity_type, entity_id=entity_id,
                      label=_label(session, entity_type, entity_id), entries=entries, total=total)


def _label(session: Session, entity_type: str, entity_id: int) -> str | None:
    if entity_type == "need":
        return session.scalar(sa.select(Need.title).where(Need.id == entity_id))
    if entity_type == "offer":
        return session.scalar(sa.select(Offer.title).where(Offer.id == entity_id))
    if entity_type == "match_run":
        exists = session.scalar(sa.select(MatchRun.id).where(MatchRun.id == entity_id))
        return f"Match run {entity_id}" if exists else None
    row = session.execute(
        sa.select(Need.title, Offer.title)
        .select_from(Proposal)
        .join(Need, Need.id == Proposal.need_id)
        .join(Offer, Offer.id == Proposal.offer_id)
        .where(Proposal.id == entity_id)
    ).first()
    return f"{row[1]} for {row[0]}" if row else None


class RunProposal(NamedTuple):
    """A row of the run page (a tuple: 50 of them are made per page view)."""

    id: int
    need_id: int
    need_title: str
    offer_id: int
    offer_title: str
    provider: str
    score: float
    breakdown: dict[str, Any]
    status: str


@lru_cache(maxsize=8)
def _run_page_statement(sort: str, page_size: int) -> sa.Select:
    """The select of one page of a run's proposals, built once per order and page size.

    Building it and its cache key on every page view cost more than running it. The page's ids
    are chosen on the proposals table alone and only those rows are joined: a 30,000-proposal run
    sorts (id, score) pairs in the index rather than whole rows with their breakdowns
    (matching.service.list_run_proposals joins first).
    """
    order = (Proposal.score.desc() if sort == "score" else Proposal.score.asc(), Proposal.id)
    chosen = (
        sa.select(Proposal.id)
        .where(Proposal.run_id == sa.bindparam("run_id"))
        .order_by(*order)
        .offset(sa.bindparam("offset", type_=sa.Integer))
        # The page size written into the SQL, not sent as a parameter: psycopg prepares a
        # statement that runs often, and PostgreSQL's generic plan for it, not knowing the page
        # is 50 rows, guessed 3,000 and hash-joined the whole run (5 ms instead of 0.5).
        .limit(sa.literal_column(str(int(page_size))))
        .subquery()
    )
    return (
        sa.select(Proposal.id, Proposal.need_id, Need.title, Proposal.offer_id, Offer.title, Organization.name,
                  Proposal.score, Proposal.breakdown, Proposal.status)
        .join(chosen, chosen.c.id == Proposal.id)
        .join(Need, Need.id == Proposal.need_id)
        .join(Offer, Offer.id == Proposal.offer_id)
        .join(Organization, Organization.id == Offer.provider_org_id)
        .order_by(*order)
    )


_RUN_TOTAL = sa.select(sa.func.count()).select_from(Proposal).where(Proposal.run_id == sa.bindparam("run_id"))


def run_proposals(
    session: Session, *, actor: Actor | None, run_id: int, page: PageRequest, sort: str = "score",
    known_total: int | None = None,
) -> tuple[list[RunProposal], int]:
    """One page of a run's proposals, best first (or worst first with "-score")."""
    require_role(actor, "officer", "admin")
    if sort not in ("score", "-score"):
        raise InvalidInput("sort must be score or -score.", field="sort")
    # A finished run's proposals are only ever re-stated, never added: the count it recorded when
    # it wrote them saves counting tens of thousands of rows on every page view.
    total = known_total if known_total is not None else session.scalar(_RUN_TOTAL, {"run_id": run_id}) or 0
    # Core rows through the session's connection: nothing here is an ORM entity, and the ORM's
    # execution path around the same select cost a tenth of the page's query time. (No autoflush
    # is needed: views write in savepoints, flushed when each closes.)
    rows = session.connection().execute(
        _run_page_statement(sort, page.page_size), {"run_id": run_id, "offset": page.offset})
    return [RunProposal._make(row) for row in rows], total


def run_gap_count(session: Session, *, actor: Actor | None, run_id: int, known: int | None = None) -> int:
    """How many needs a run left with unfilled positions (the gaps tab's label), without listing them."""
    require_role(actor, "officer", "admin")
    if known is not None:
        return known
    return session.scalar(sa.select(sa.func.count()).select_from(RunGap).where(RunGap.run_id == run_id)) or 0
