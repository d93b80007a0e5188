"""What the officer's console reads besides runs: the dashboard's counts and a run's number of gaps."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.auth.actor import Actor, require_role
from capmatch.enums import FIXED_PROPOSAL_STATUSES, MATCHABLE_NEED_STATUSES
from capmatch.matching.models import RunGap
from capmatch.needs.models import Need
from capmatch.proposals import workflow as wf
from capmatch.proposals.models import Proposal

# Whose answer a proposal waits for, by state (the officer's is "proposed").
AWAITING_OFFICER = ("proposed",)
AWAITING_REQUESTER = tuple(s for s, parties in wf.AWAITING.items() if wf.REQUESTER in parties)
AWAITING_PROVIDER = tuple(s for s, parties in wf.AWAITING.items() if wf.PROVIDER in parties)


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


def run_gap_totals(session: Session, *, actor: Actor | None, run_id: int) -> tuple[int, int]:
    """How many needs a run left with unfilled positions, and how many positions, in one aggregate."""
    require_role(actor, "officer", "admin")
    needs, positions = session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(RunGap.unfilled), 0)).where(RunGap.run_id == run_id)
    ).one()
    return int(needs), int(positions)
