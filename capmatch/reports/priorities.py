"""Recruitment priorities from the latest run's unfilled positions: the matching core's recruitment
module (matching/core/recruitment.py) over the needs as the solver reads them, with names put back."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.enums import int_to_cefr
from capmatch.matching.codebook import EPOCH, day_number, load_codebook
from capmatch.matching.core.recruitment import recruitment_priorities
from capmatch.matching.snapshot import load_needs
from capmatch.reports.filters import ReportFilters
from capmatch.reports.gaps import unfilled_needs
from capmatch.taxonomy.models import Area
from capmatch.taxonomy.names import country_name, language_name, name_column, region_name


@dataclass(frozen=True)
class LanguageAtLevel:
    code: str
    name: str
    level: str


@dataclass(frozen=True)
class PriorityRow:
    rank: int
    area: str
    area_name: str
    languages: list[LanguageAtLevel]
    region: str
    country: str  # ISO 3166-1 alpha-3 of the home country tested for the region
    country_name: str
    available_from: str  # ISO dates: the window the expert must be available in
    available_until: str
    positions: int  # unfilled positions such an expert could take
    added_positions: int  # of which no higher priority could
    need_ids: list[int]

    @property
    def window(self) -> tuple[date, date]:
        """The availability window as dates, for the page to write them (the figures keep ISO dates)."""
        return date.fromisoformat(self.available_from), date.fromisoformat(self.available_until)


@dataclass(frozen=True)
class Priorities:
    run_id: int | None
    unfilled: int
    priorities: list[PriorityRow]


def _home_countries(session: Session, book, needs) -> np.ndarray:
    """The home countries each region is tested with: those the needs' eligibility lists name, and the
    region's most frequent nationality among the offers (else its first country)."""
    named = {int(c) for c in np.asarray(needs.eligible_countries[1]).tolist() if c >= 0}
    rows = session.execute(sa.text("""
        SELECT DISTINCT ON (c.region) c.iso3 FROM countries c
        LEFT JOIN (SELECT nationality_iso3, count(*) AS n FROM offers WHERE nationality_iso3 IS NOT NULL
                   GROUP BY nationality_iso3) o ON o.nationality_iso3 = c.iso3
        ORDER BY c.region, coalesce(o.n, 0) DESC, c.iso3
    """)).scalars().all()
    return np.array(sorted(named | {book.countries[iso3] for iso3 in rows}), dtype=np.int32)


def recruitment(session: Session, *, filters: ReportFilters, today: date) -> Priorities:
    run_id, unfilled = unfilled_needs(session, filters=filters)
    if not unfilled:
        return Priorities(run_id, 0, [])
    book = load_codebook(session)
    needs, _ = load_needs(session, book, scope={"need_ids": sorted(unfilled)})
    slots = np.array([unfilled.get(int(i), 0) for i in needs.need_id], dtype=np.int32)
    needs = _with_slots(needs, np.minimum(needs.slots, slots))
    region_names = sorted({r for r in session.scalars(sa.text("SELECT DISTINCT region FROM countries"))})
    found = recruitment_priorities(
        needs, countries=_home_countries(session, book, needs), country_region=book.country_region,
        country_south=book.country_south, country_subregion=book.country_subregion, today=day_number(today),
    )
    area_codes = {v: k for k, v in book.areas.items()}
    lang_codes = {v: k for k, v in book.languages.items()}
    country_codes = {v: k for k, v in book.countries.items()}
    area_names = dict(session.execute(sa.select(Area.code, name_column(Area))).all())  # in the language in use
    rows = [
        PriorityRow(
            rank=k + 1, area=area_codes[p.profile.area], area_name=area_names[area_codes[p.profile.area]],
            languages=[LanguageAtLevel(lang_codes[lang], language_name(lang_codes[lang], book.names["languages"][lang]),
                                       int_to_cefr(level))
                       for lang, level in p.profile.languages],
            region=region_name(region_names[p.profile.region]), country=country_codes[p.profile.country],
            country_name=country_name(country_codes[p.profile.country], book.names["countries"][p.profile.country]),
            available_from=_iso(p.available_from), available_until=_iso(p.available_until),
            positions=p.positions, added_positions=p.added_positions, need_ids=list(p.need_ids),
        )
        for k, p in enumerate(found)
    ]
    return Priorities(run_id, int(needs.slots.sum()), rows)


def _with_slots(needs, slots):
    return replace(needs, slots=slots.astype(np.int32))


def _iso(day: int) -> str:
    return (EPOCH + timedelta(days=int(day))).isoformat()
