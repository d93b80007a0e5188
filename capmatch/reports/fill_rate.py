"""Fill rate: positions filled (held by approved-or-later proposals) over positions posted."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.reports.filters import ReportFilters, share, with_needs
from capmatch.taxonomy.names import country_name, name_sql


@dataclass(frozen=True)
class FillRow:
    key: str
    name: str
    posted: int
    filled: int
    rate: float | None
    acronym: str | None = None  # a mission's, which the tables show in place of its name


@dataclass(frozen=True)
class FillRate:
    posted: int
    filled: int
    rate: float | None
    by_cluster: list[FillRow]
    by_area: list[FillRow]
    by_mission: list[FillRow]
    by_duty_country: list[FillRow]


# Each grouping: the positions of its (key, name) columns in the query's rows.
GROUPS = {"by_cluster": (0, 1), "by_area": (2, 3), "by_mission": (4, 5), "by_duty_country": (6, 7)}


def fill_rate(session: Session, *, filters: ReportFilters) -> FillRate:
    # One pass over the needs, grouped by every key at once; each grouping is summed from its rows.
    sql, params = with_needs(filters, f"""
        SELECT rn.cluster_code, {name_sql('c')}, rn.area_code, {name_sql('a')}, rn.requester_org_id::text, o.name,
               rn.duty_country_iso3, k.name, sum(rn.positions), sum(rn.filled), o.acronym
        FROM rn JOIN clusters c ON c.code = rn.cluster_code JOIN areas a ON a.code = rn.area_code
        JOIN organizations o ON o.id = rn.requester_org_id JOIN countries k ON k.iso3 = rn.duty_country_iso3
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 11
    """)
    rows = [(*row[:7], country_name(row[6], row[7]), *row[8:]) for row in session.execute(sa.text(sql), params)]
    groups = {}
    acronyms = {row[4]: row[10] for row in rows}
    for name, (key, label) in GROUPS.items():
        sums: dict[tuple[str, str], list[int]] = {}
        for row in rows:
            total = sums.setdefault((row[key], row[label]), [0, 0])
            total[0] += int(row[8])
            total[1] += int(row[9])
        ordered = sorted(sums.items(), key=lambda item: (-item[1][0], item[0][1]))
        groups[name] = [FillRow(k, n, p, f, share(f, p), acronyms.get(k) if name == "by_mission" else None)
                        for (k, n), (p, f) in ordered]
    posted = sum(r.posted for r in groups["by_cluster"])
    filled = sum(r.filled for r in groups["by_cluster"])
    return FillRate(posted, filled, share(filled, posted), **groups)
