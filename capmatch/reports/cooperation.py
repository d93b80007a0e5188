"""Who fills the positions: the South-South share by month, women's share at each stage against the
needs' targets, and the contributor base (countries, organizations, newcomers, concentration)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.reports.filters import PLACEMENTS_CTE, ReportFilters, share, with_needs
from capmatch.taxonomy.names import country_name

TOP_PROVIDERS = 5


@dataclass(frozen=True)
class MonthShare:
    month: str  # YYYY-MM
    filled: int
    south_south: int
    share: float | None

    @property
    def first_day(self) -> date:
        """The month as a date, for the page to name it (the figures keep YYYY-MM)."""
        return date.fromisoformat(f"{self.month}-01")


@dataclass(frozen=True)
class SouthSouth:
    filled: int
    south_south: int
    share: float | None
    by_month: list[MonthShare]


def south_south(session: Session, *, filters: ReportFilters) -> SouthSouth:
    """A filled position is South-South when the requester's country (else the duty station's) and the
    expert's (else the provider's) are both in the Global South."""
    sql, params = with_needs(filters, PLACEMENTS_CTE + """
        SELECT to_char(date_trunc('month', filled_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month, count(*),
               count(*) FILTER (WHERE requester_south AND origin_south)
        FROM pl GROUP BY 1 ORDER BY 1
    """)
    months = [MonthShare(m, int(n), int(s), share(int(s), int(n))) for m, n, s in session.execute(sa.text(sql), params)]
    filled, ss = sum(m.filled for m in months), sum(m.south_south for m in months)
    return SouthSouth(filled, ss, share(ss, filled), months)


# Each stage and the proposal statuses that have reached it.
STAGES = {
    "proposed": None,  # every proposal but those a later run replaced
    "agreed": ("agreed", "deployed", "completed"),
    "deployed": ("deployed", "completed"),
}


@dataclass(frozen=True)
class GenderStage:
    stage: str
    experts: int  # individual experts whose gender is recorded
    women: int
    share: float | None
    target: float | None  # the mean target of the needs they were put forward for, where one is set


@dataclass(frozen=True)
class GenderShare:
    needs_with_target: int
    stages: list[GenderStage]


def gender_share(session: Session, *, filters: ReportFilters) -> GenderShare:
    # One pass over the proposals: each stage is a FILTER of the same rows.
    columns = []
    for stage, statuses in STAGES.items():
        where = "p.status <> 'superseded'" if statuses is None else "p.status IN (" + ", ".join(
            f"'{s}'" for s in statuses) + ")"
        columns.append(f"count(*) FILTER (WHERE {where}), count(*) FILTER (WHERE {where} AND f.gender = 'female'), "
                       f"(avg(rn.gender_target) FILTER (WHERE {where}))::float8")
    sql, params = with_needs(filters, f"""
        SELECT {", ".join(columns)}, (SELECT count(*) FROM rn WHERE gender_target IS NOT NULL)
        FROM proposals p JOIN rn ON rn.id = p.need_id JOIN offers f ON f.id = p.offer_id
        WHERE f.kind = 'individual_expert' AND f.gender IN ('female', 'male', 'other')
    """)
    row = session.execute(sa.text(sql), params).one()
    stages = []
    for k, stage in enumerate(STAGES):
        n, w, t = int(row[3 * k]), int(row[3 * k + 1]), row[3 * k + 2]
        stages.append(GenderStage(stage, n, w, share(w, n), None if t is None else round(t, 4)))
    return GenderShare(int(row[-1]), stages)


@dataclass(frozen=True)
class Provider:
    organization_id: int
    name: str
    country: str | None
    filled: int
    share: float | None
    acronym: str | None = None  # the tables show it in place of the name


@dataclass(frozen=True)
class Contributors:
    filled: int
    organizations: int
    countries: int
    new_this_year: int  # organizations whose first position ever filled was this year
    year: int
    south_share: float | None  # positions filled by experts from the Global South
    top_share: float | None  # positions filled by the five largest providers
    top: list[Provider]


def contributors(session: Session, *, filters: ReportFilters, today: date) -> Contributors:
    year = (filters.date_to or today).year
    sql, params = with_needs(filters, PLACEMENTS_CTE + """
        SELECT count(*), count(DISTINCT provider_org_id), count(DISTINCT origin),
               count(*) FILTER (WHERE origin_south)
        FROM pl
    """)
    filled, orgs, countries, south = (int(v) for v in session.execute(sa.text(sql), params).one())
    sql, params = with_needs(filters, PLACEMENTS_CTE + """
        , firsts AS (
            SELECT f.provider_org_id, min(coalesce(e.occurred_at, p.created_at)) AS first_at
            FROM proposals p JOIN offers f ON f.id = p.offer_id
            LEFT JOIN audit_events e ON e.entity_type = 'proposal' AND e.entity_id = p.id AND e.action = 'approve'
            WHERE p.status = ANY(:fixed) AND f.provider_org_id IN (SELECT provider_org_id FROM pl)
            GROUP BY f.provider_org_id
        )
        SELECT count(*) FROM firsts WHERE extract(year FROM first_at AT TIME ZONE 'UTC') = :year
    """, {"year": year})
    new = int(session.scalar(sa.text(sql), params))
    sql, params = with_needs(filters, PLACEMENTS_CTE + """
        SELECT o.id, o.name, c.iso3, c.name, count(*), o.acronym FROM pl JOIN organizations o ON o.id = pl.provider_org_id
        LEFT JOIN countries c ON c.iso3 = o.country_iso3
        GROUP BY o.id, o.name, c.iso3, c.name ORDER BY count(*) DESC, o.name LIMIT :top
    """, {"top": TOP_PROVIDERS})
    top = [Provider(i, n, country_name(iso3, c) if iso3 else None, int(k), share(int(k), filled), a)
           for i, n, iso3, c, k, a in session.execute(sa.text(sql), params)]
    return Contributors(filled, orgs, countries, new, year, share(south, filled),
                        share(sum(p.filled for p in top), filled), top)
