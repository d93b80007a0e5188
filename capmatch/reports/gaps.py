"""Gap analysis across needs: the positions the latest match run left unfilled, by area, language,
level, experience and duty region and country, with the reasons its explanations give most often.

A need counts while it can still take proposals, for the positions still open (at most what the
run left unfilled: some may have been filled by hand since).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.enums import CEFR_LEVELS, MATCHABLE_NEED_STATUSES
from capmatch.reports.filters import ReportFilters, with_needs

TOP_REASONS = 8

GAPS_CTE = """
    , run AS (
        SELECT id, finished_at FROM match_runs WHERE status = 'succeeded'
        ORDER BY finished_at DESC NULLS LAST, id DESC LIMIT 1
    ), g AS (
        SELECT rg.need_id, least(rg.unfilled, rn.positions - rn.filled) AS unfilled, rg.reasons,
               rn.area_code, rn.region, rn.duty_country_iso3, n.min_years_experience
        FROM run_gaps rg JOIN run ON run.id = rg.run_id JOIN rn ON rn.id = rg.need_id JOIN needs n ON n.id = rg.need_id
        WHERE n.status = ANY(:matchable) AND rn.positions > rn.filled
    )
"""
EXPERIENCE_BAND = ("CASE WHEN g.min_years_experience < 5 THEN '0-4' WHEN g.min_years_experience < 10 THEN '5-9' "
                   "WHEN g.min_years_experience < 15 THEN '10-14' ELSE '15+' END")

# Each grouping: its key, its name, and what it joins. A need asking two languages counts under each.
GROUPS = {
    "by_area": ("g.area_code", "a.name", "JOIN areas a ON a.code = g.area_code"),
    "by_language": ("nl.language_code", "l.name",
                    "JOIN need_languages nl ON nl.need_id = g.need_id JOIN languages l ON l.code = nl.language_code"),
    "by_level": ("nl.min_level::text", "nl.min_level::text", "JOIN need_languages nl ON nl.need_id = g.need_id"),
    "by_experience": (EXPERIENCE_BAND, EXPERIENCE_BAND, ""),
    "by_duty_region": ("g.region", "g.region", ""),
    "by_duty_country": ("lower(c.iso2)", "c.name", "JOIN countries c ON c.iso3 = g.duty_country_iso3"),
}


@dataclass(frozen=True)
class GapRow:
    key: str
    name: str
    needs: int
    unfilled: int


@dataclass(frozen=True)
class ReasonRow:
    code: str
    needs: int
    unfilled: int
    example: str


@dataclass(frozen=True)
class GapAnalysis:
    run_id: int | None
    run_finished: str | None
    needs: int
    unfilled: int
    by_area: list[GapRow]
    by_language: list[GapRow]
    by_level: list[GapRow]
    by_experience: list[GapRow]
    by_duty_region: list[GapRow]
    by_duty_country: list[GapRow]  # keyed by ISO 3166-1 alpha-2, lower case (the world map's codes)
    reasons: list[ReasonRow]


def _gap_sql(filters: ReportFilters, body: str, extra: dict | None = None):
    return with_needs(filters, GAPS_CTE + body, {"matchable": list(MATCHABLE_NEED_STATUSES), **(extra or {})})


def gap_analysis(session: Session, *, filters: ReportFilters) -> GapAnalysis:
    sql, params = _gap_sql(filters, """
        SELECT (SELECT id FROM run), (SELECT to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM run),
               count(*), coalesce(sum(unfilled), 0) FROM g
    """)
    run_id, finished, needs, unfilled = session.execute(sa.text(sql), params).one()
    groups = {}
    for name, (key, label, join) in GROUPS.items():
        sql, params = _gap_sql(filters, f"""
            SELECT {key}, {label}, count(DISTINCT g.need_id), sum(g.unfilled) FROM g {join}
            GROUP BY 1, 2 ORDER BY sum(g.unfilled) DESC, 2
        """)
        rows = [GapRow(str(k), str(n), int(c), int(u)) for k, n, c, u in session.execute(sa.text(sql), params)]
        if name == "by_level":
            rows = [GapRow(r.key, CEFR_LEVELS[int(r.key) - 1], r.needs, r.unfilled) for r in rows]
        groups[name] = rows
    sql, params = _gap_sql(filters, """
        SELECT r->>'code', count(DISTINCT g.need_id), sum(g.unfilled), min(r->>'message')
        FROM g CROSS JOIN LATERAL jsonb_array_elements(g.reasons) r
        WHERE r->>'code' <> 'winners'  -- the needs that outscored this one, not a reason of its own
        GROUP BY 1 ORDER BY sum(g.unfilled) DESC, count(DISTINCT g.need_id) DESC, 1 LIMIT :top
    """, {"top": TOP_REASONS})
    reasons = [ReasonRow(c, int(n), int(u), m or "") for c, n, u, m in session.execute(sa.text(sql), params)]
    return GapAnalysis(run_id, finished, int(needs), int(unfilled), reasons=reasons, **groups)


def unfilled_needs(session: Session, *, filters: ReportFilters) -> tuple[int | None, dict[int, int]]:
    """The latest run's id and, for each need it left with positions still open, how many."""
    sql, params = _gap_sql(filters, "SELECT (SELECT id FROM run), g.need_id, g.unfilled FROM g")
    rows = session.execute(sa.text(sql), params).all()
    if not rows:
        run_id = session.scalar(sa.text("SELECT id FROM match_runs WHERE status = 'succeeded' "
                                        "ORDER BY finished_at DESC NULLS LAST, id DESC LIMIT 1"))
        return run_id, {}
    return rows[0][0], {int(n): int(u) for _, n, u in rows}
