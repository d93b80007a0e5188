"""What the officer's console reads besides runs: the dashboard's counts, a run's number of gaps, two runs compared."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session

from capmatch.auth.actor import Actor, require_role
from capmatch.enums import FIXED_PROPOSAL_STATUSES, MATCHABLE_NEED_STATUSES
from capmatch.errors import NotFound
from capmatch.i18n import _
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


# --- two runs side by side -----------------------------------------------------------------------


@dataclass(frozen=True)
class RunFigures:
    """What one run proposed, counted from its proposals (whatever became of them since)."""

    run_id: int
    policy: str
    status: str
    positions_open: int | None
    positions_filled: int
    total_score: float
    south_south_share: float | None  # of the positions filled; None: nothing filled
    women_share: float | None  # of the experts placed whose gender is known; None: none known
    providers: int  # distinct provider organizations
    provider_countries: int  # distinct countries of those organizations (an intergovernmental body has none)


@dataclass(frozen=True)
class Difference:
    """A need the two runs filled differently: the offers only one of them proposed for it."""

    need_id: int
    need_title: str
    only_a: list[dict]  # [{"id", "title", "provider"}], by offer id
    only_b: list[dict]


@dataclass(frozen=True)
class Comparison:
    a: RunFigures
    b: RunFigures
    differences: list[Difference]
    differing_needs: int  # every need that differs (`differences` is one page of them)


def _figures(session: Session, run_id: int, field: str) -> RunFigures:
    run = session.get(MatchRun, run_id)
    if run is None:
        raise NotFound(_("No match run has the number {number}.", number=run_id), field=field)
    known = Offer.gender.in_(("female", "male", "other"))
    filled, total, south, women, placed_known, providers, countries = session.execute(
        sa.select(
            sa.func.count(), sa.func.coalesce(sa.func.sum(Proposal.score), 0.0),
            sa.func.avg(Proposal.breakdown["south_south"].as_float()),
            sa.func.count().filter(Offer.gender == "female"), sa.func.count().filter(known),
            sa.func.count(sa.distinct(Offer.provider_org_id)), sa.func.count(sa.distinct(Organization.country_iso3)),
        )
        .select_from(Proposal)
        .join(Offer, Offer.id == Proposal.offer_id)
        .join(Organization, Organization.id == Offer.provider_org_id)
        .where(Proposal.run_id == run_id)
    ).one()
    return RunFigures(
        run_id=run.id, policy=run.policy_snapshot.get("name", ""), status=run.status,
        positions_open=run.positions_open, positions_filled=filled, total_score=float(total),
        south_south_share=None if south is None else float(south),
        women_share=women / placed_known if placed_known else None,
        providers=providers, provider_countries=countries,
    )


def compare_runs(session: Session, *, actor: Actor | None, a: int, b: int, page: PageRequest) -> Comparison:
    """Runs `a` and `b` side by side, and one page of the needs they filled differently (by need id)."""
    require_role(actor, "officer", "admin")
    first, second = _figures(session, a, "a"), _figures(session, b, "b")
    in_a = sa.select(Proposal.need_id, Proposal.offer_id).where(Proposal.run_id == a).subquery("in_a")
    in_b = sa.select(Proposal.need_id, Proposal.offer_id).where(Proposal.run_id == b).subquery("in_b")
    # A pair one run proposed and the other did not, on the side of the run that did.
    only = (
        sa.select(sa.func.coalesce(in_a.c.need_id, in_b.c.need_id).label("need_id"),
                  sa.func.coalesce(in_a.c.offer_id, in_b.c.offer_id).label("offer_id"),
                  (in_a.c.offer_id.is_not(None)).label("in_a"))
        .select_from(in_a.join(in_b, sa.and_(in_a.c.need_id == in_b.c.need_id, in_a.c.offer_id == in_b.c.offer_id),
                               full=True))
        .where(sa.or_(in_a.c.offer_id.is_(None), in_b.c.offer_id.is_(None)))
        .subquery("only")
    )
    differing = session.scalar(sa.select(sa.func.count(sa.distinct(only.c.need_id)))) or 0
    offer = sa.func.jsonb_build_object("id", Offer.id, "title", Offer.title, "provider", Organization.name,
                                       "provider_acronym", Organization.acronym)
    rows = session.execute(
        sa.select(
            Need.id, Need.title,
            sa.func.coalesce(sa.func.jsonb_agg(aggregate_order_by(offer, Offer.id)).filter(only.c.in_a),
                             sa.text("'[]'::jsonb")),
            sa.func.coalesce(sa.func.jsonb_agg(aggregate_order_by(offer, Offer.id)).filter(~only.c.in_a),
                             sa.text("'[]'::jsonb")),
        )
        .select_from(only)
        .join(Need, Need.id == only.c.need_id)
        .join(Offer, Offer.id == only.c.offer_id)
        .join(Organization, Organization.id == Offer.provider_org_id)
        .group_by(Need.id, Need.title)
        .order_by(Need.id)
        .offset(page.offset)
        .limit(page.page_size)
    ).all()
    return Comparison(first, second, [Difference(*row) for row in rows], differing)
