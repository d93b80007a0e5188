"""Gap analysis across needs: the positions the latest match run left unfilled, by area, language,
level, experience and duty region and country, with the reasons its explanations give most often.

A need counts while it can still take proposals, for the positions still open (at most what the
run left unfilled: some may have been filled by hand since).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.enums import CEFR_LEVELS, MATCHABLE_NEED_STATUSES
from capmatch.reports.filters import ReportFilters, with_needs
from capmatch.taxonomy.names import country_name, language_name, name_sql, region_name

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
EXPERIENCE_BANDS = ((5, "0-4"), (10, "5-9"), (15, "10-14"))
GROUPS = ("by_area", "by_language", "by_level", "by_experience", "by_duty_region", "by_duty_country")


def _band(years: int) -> str:
    return next((name for below, name in EXPERIENCE_BANDS if years < below), "15+")


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

    @property
    def finished_at(self) -> datetime | None:
        """When the run finished, for the page to write it (the figures keep "YYYY-MM-DD HH:MM", UTC)."""
        return None if self.run_finished is None else datetime.fromisoformat(self.run_finished).replace(tzinfo=UTC)


def _gap_sql(filters: ReportFilters, body: str, extra: dict | None = None):
    return with_needs(filters, GAPS_CTE + body, {"matchable": list(MATCHABLE_NEED_STATUSES), **(extra or {})})


def gap_analysis(session: Session, *, filters: ReportFilters) -> GapAnalysis:
    # One row per need with a gap (thousands at most), grouped here every way at once.
    sql, params = _gap_sql(filters, f"""
        SELECT (SELECT id FROM run), (SELECT to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM run),
               g.need_id, g.unfilled, g.area_code, {name_sql('a')}, g.region, lower(c.iso2), c.name,
               g.min_years_experience,
               coalesce((SELECT array_agg(ARRAY[nl.language_code, l.name, nl.min_level::text] ORDER BY nl.language_code)
                         FROM need_languages nl JOIN languages l ON l.code = nl.language_code
                         WHERE nl.need_id = g.need_id), '{{}}'), c.iso3
        FROM g JOIN areas a ON a.code = g.area_code JOIN countries c ON c.iso3 = g.duty_country_iso3
    """)
    rows = session.execute(sa.text(sql), params).all()
    sums: dict[str, dict[tuple[str, str], list]] = {name: {} for name in GROUPS}

    def add(group: str, key: str, label: str, need: int, unfilled: int) -> None:
        total = sums[group].setdefault((key, label), [set(), 0])
        total[0].add(need)
        total[1] += unfilled

    for row in rows:
        need, unfilled = int(row[2]), int(row[3])
        add("by_area", row[4], row[5], need, unfilled)
        add("by_duty_region", row[6], region_name(row[6]), need, unfilled)
        add("by_duty_country", row[7], country_name(row[11], row[8]), need, unfilled)
        add("by_experience", _band(int(row[9])), _band(int(row[9])), need, unfilled)
        for code, name, level in row[10]:
            add("by_language", code, language_name(code, name), need, unfilled)
            add("by_level", level, CEFR_LEVELS[int(level) - 1], need, unfilled)
    groups = {
        group: [GapRow(k, n, len(needs), u) for (k, n), (needs, u) in
                sorted(totals.items(), key=lambda item: (-item[1][1], item[0][1]))]
        for group, totals in sums.items()
    }
    run_id, finished = (rows[0][0], rows[0][1]) if rows else _latest_run(session)
    sql, params = _gap_sql(filters, """
        SELECT r->>'code', count(DISTINCT g.need_id), sum(g.unfilled), min(r->>'message')
        FROM g CROSS JOIN LATERAL jsonb_array_elements(g.reasons) r
        WHERE r->>'code' <> 'winners'  -- the needs that outscored this one, not a reason of its own
        GROUP BY 1 ORDER BY sum(g.unfilled) DESC, count(DISTINCT g.need_id) DESC, 1 LIMIT :top
    """, {"top": TOP_REASONS})
    reasons = [ReasonRow(c, int(n), int(u), m or "") for c, n, u, m in session.execute(sa.text(sql), params)]
    return GapAnalysis(run_id, finished, len(rows), sum(int(r[3]) for r in rows), reasons=reasons, **groups)


def _latest_run(session: Session) -> tuple[int | None, str | None]:
    row = session.execute(sa.text(
        "SELECT id, to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM match_runs "
        "WHERE status = 'succeeded' ORDER BY finished_at DESC NULLS LAST, id DESC LIMIT 1")).first()
    return (row[0], row[1]) if row else (None, None)


def unfilled_needs(session: Session, *, filters: ReportFilters) -> tuple[int | None, dict[int, int]]:
    """The latest run's id and, for each need it left with positions still open, how many."""
    sql, params = _gap_sql(filters, "SELECT (SELECT id FROM run), g.need_id, g.unfilled FROM g")
    rows = session.execute(sa.text(sql), params).all()
    if not rows:
        return _latest_run(session)[0], {}
    return rows[0][0], {int(n): int(u) for _, n, u in rows}
