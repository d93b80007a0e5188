"""The marketplace at a glance: the real counts shown on the home page."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.enums import FIXED_PROPOSAL_STATUSES, MATCHABLE_NEED_STATUSES, RESERVING_PROPOSAL_STATUSES
from capmatch.needs.models import Need
from capmatch.offers.models import Offer
from capmatch.organizations.models import Organization
from capmatch.proposals.models import Proposal
from capmatch.reports.filters import REPORTED_STATUSES
from capmatch.taxonomy.models import Area, Cluster, Country
from capmatch.taxonomy.names import name_column


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
            name_column(Cluster),
            sa.func.count(Need.id),
            sa.func.coalesce(sa.func.sum(Need.positions), 0),
        )
        .select_from(Cluster)
        .join(Area, Area.cluster_code == Cluster.code)
        .outerjoin(Need, sa.and_(Need.area_code == Area.code, open_filter))
        .group_by(Cluster.code, Cluster.name, Cluster.name_fr, Cluster.position)
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


@dataclass(frozen=True)
class PublicResults:
    """The few aggregate figures anyone may read on the home page (the reports' definitions, over every
    need, in one light statement: the home page is the most visited)."""

    posted: int
    filled: int
    fill_rate: float | None
    south_south_share: float | None
    women_deployed_share: float | None


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def public_results(session: Session) -> PublicResults:
    row = session.execute(sa.text("""
        WITH h AS (
            SELECT need_id, count(*) AS held FROM proposals WHERE status = ANY(:fixed) GROUP BY need_id
        ), pl AS (
            SELECT p.status, coalesce(rc.global_south, dc.global_south) AS requester_south,
                   coalesce(oc.global_south, false) AS origin_south, f.gender, f.kind
            FROM proposals p
            JOIN needs n ON n.id = p.need_id AND n.status = ANY(:reported)
            JOIN offers f ON f.id = p.offer_id
            JOIN organizations po ON po.id = f.provider_org_id
            JOIN organizations ro ON ro.id = n.requester_org_id
            LEFT JOIN countries rc ON rc.iso3 = ro.country_iso3
            JOIN countries dc ON dc.iso3 = n.duty_country_iso3
            LEFT JOIN countries oc ON oc.iso3 = coalesce(f.nationality_iso3, po.country_iso3)
            WHERE p.status = ANY(:fixed)
        )
        SELECT (SELECT coalesce(sum(n.positions), 0) FROM needs n WHERE n.status = ANY(:reported)),
               (SELECT coalesce(sum(least(h.held, n.positions)), 0) FROM needs n JOIN h ON h.need_id = n.id
                WHERE n.status = ANY(:reported)),
               (SELECT count(*) FROM pl), (SELECT count(*) FROM pl WHERE requester_south AND origin_south),
               (SELECT count(*) FROM pl WHERE status IN ('deployed', 'completed') AND kind = 'individual_expert'
                AND gender IN ('female', 'male', 'other')),
               (SELECT count(*) FROM pl WHERE status IN ('deployed', 'completed') AND kind = 'individual_expert'
                AND gender = 'female')
    """), {"fixed": list(FIXED_PROPOSAL_STATUSES), "reported": list(REPORTED_STATUSES)}).one()
    posted, filled, placed, south, experts, women = (int(v) for v in row)
    return PublicResults(posted, filled, _share(filled, posted), _share(south, placed), _share(women, experts))
