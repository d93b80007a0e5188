"""The marketplace at a glance: the real counts shown on the home page."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.enums import MATCHABLE_NEED_STATUSES, RESERVING_PROPOSAL_STATUSES
from capmatch.needs.models import Need
from capmatch.offers.models import Offer
from capmatch.organizations.models import Organization
from capmatch.proposals.models import Proposal
from capmatch.taxonomy.models import Area, Cluster, Country


@dataclass(frozen=True)
class ClusterCount:
    code: str
    name: str
    open_needs: int
    open_positions: int


@dataclass(frozen=True)
class MarketplaceSummary:
    open_needs: int
    open_positions: int
    available_offers: int
    requesters: int
    providers: int
    provider_countries: int
    south_providers: int
    approved_matches: int
    clusters: list[ClusterCount]


def marketplace_summary(session: Session) -> MarketplaceSummary:
    open_filter = Need.status.in_(MATCHABLE_NEED_STATUSES)
    open_needs, open_positions = session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(Need.positions), 0)).where(open_filter)
    ).one()
    available = session.scalar(sa.select(sa.func.count()).where(Offer.status == "available"))
    requesters, providers = session.execute(
        sa.select(
            sa.func.count().filter(Organization.may_request),
            sa.func.count().filter(Organization.may_provide),
        )
    ).one()
    provider_countries, south = session.execute(
        sa.select(
            sa.func.count(sa.distinct(Country.iso3)),
            sa.func.count(sa.distinct(Country.iso3)).filter(Country.global_south),
        )
        .select_from(Organization)
        .join(Country, Country.iso3 == Organization.country_iso3)
        .where(Organization.may_provide)
    ).one()
    approved = session.scalar(
        sa.select(sa.func.count()).where(Proposal.status.in_(RESERVING_PROPOSAL_STATUSES + ("completed",)))
    )
    rows = session.execute(
        sa.select(
            Cluster.code,
            Cluster.name,
            sa.func.count(Need.id),
            sa.func.coalesce(sa.func.sum(Need.positions), 0),
        )
        .select_from(Cluster)
        .join(Area, Area.cluster_code == Cluster.code)
        .outerjoin(Need, sa.and_(Need.area_code == Area.code, open_filter))
        .group_by(Cluster.code, Cluster.name, Cluster.position)
        .order_by(Cluster.position)
    ).all()
    return MarketplaceSummary(
        open_needs=open_needs,
        open_positions=int(open_positions),
        available_offers=available or 0,
        requesters=requesters,
        providers=providers,
        provider_countries=provider_countries,
        south_providers=south,
        approved_matches=approved or 0,
        clusters=[ClusterCount(c, n, o, int(p)) for c, n, o, p in rows],
    )


@dataclass(frozen=True)
class ReportChoices:
    """The report filters' options beyond the taxonomy's: duty regions and requesting organizations."""

    regions: list[str]
    requesters: list[tuple[int, str]]


def report_choices(session: Session) -> ReportChoices:
    regions = session.scalars(sa.select(Country.region).distinct().order_by(Country.region)).all()
    requesters = session.execute(
        sa.select(Organization.id, Organization.name).where(Organization.may_request).order_by(Organization.name)
    ).all()
    return ReportChoices(list(regions), [(i, n) for i, n in requesters])
