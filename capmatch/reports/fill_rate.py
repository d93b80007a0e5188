"""Fill rate: positions filled (held by approved-or-later proposals) over positions posted."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.reports.filters import ReportFilters, share, with_needs


@dataclass(frozen=True)
class FillRow:
    key: str
    name: str
    posted: int
    filled: int
    rate: float | None


@dataclass(frozen=True)
class FillRate:
    posted: int
    filled: int
    rate: float | None
    by_cluster: list[FillRow]
    by_area: list[FillRow]
    by_mission: list[FillRow]
    by_duty_country: list[FillRow]


# Each grouping: the key column of rn, and how to name it.
GROUPS = {
    "by_cluster": ("rn.cluster_code", "JOIN clusters g ON g.code = rn.cluster_code", "g.name"),
    "by_area": ("rn.area_code", "JOIN areas g ON g.code = rn.area_code", "g.name"),
    "by_mission": ("rn.requester_org_id::text", "JOIN organizations g ON g.id = rn.requester_org_id", "g.name"),
    "by_duty_country": ("rn.duty_country_iso3", "JOIN countries g ON g.iso3 = rn.duty_country_iso3", "g.name"),
}


def fill_rate(session: Session, *, filters: ReportFilters) -> FillRate:
    groups = {}
    for name, (key, join, label) in GROUPS.items():
        sql, params = with_needs(filters, f"""
            SELECT {key} AS key, {label} AS name, sum(rn.positions) AS posted, sum(rn.filled) AS filled
            FROM rn {join} GROUP BY 1, 2 ORDER BY sum(rn.positions) DESC, 2
        """)
        groups[name] = [FillRow(k, n, int(p), int(f), share(int(f), int(p)))
                        for k, n, p, f in session.execute(sa.text(sql), params)]
    posted = sum(r.posted for r in groups["by_cluster"])
    filled = sum(r.filled for r in groups["by_cluster"])
    return FillRate(posted, filled, share(filled, posted), **groups)
