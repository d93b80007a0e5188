"""Reading the reference data, and checking that codes given by clients name real rows.

The checks live here because needs, offers and organizations all refer to the same taxonomy:
an unknown code is the client's mistake (422 naming the field), never a foreign-key error.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.orm import Session

from capmatch.errors import InvalidInput
from capmatch.i18n import LANGUAGES, N_, _, current, use
from capmatch.pagination import PageRequest, fetch_page
from capmatch.taxonomy.models import Area, Cluster, Country, Language
from capmatch.taxonomy.names import country_name, in_language, language_name, sort_key
from capmatch.taxonomy.skills import vocabulary


def changes_of(data: BaseModel, *, nullable: frozenset[str] | set[str]) -> dict[str, Any]:
    """The fields a PATCH body set; an explicit null for a field that cannot be empty is a 422."""
    changes = data.model_dump(exclude_unset=True)
    for name, value in changes.items():
        if value is None and name not in nullable:
            raise InvalidInput(_("{name} cannot be null; leave it out to keep the current value.", name=name),
                               field=name)
    return changes


def ilike_pattern(q: str) -> str:
    escaped = q.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# --- listing ---------------------------------------------------------------------------------


def list_clusters(session: Session, *, page: PageRequest) -> tuple[list[tuple[Cluster, list[Area]]], int]:
    clusters, total = fetch_page(session, sa.select(Cluster).order_by(Cluster.position, Cluster.code), page)
    areas = session.scalars(
        sa.select(Area)
        .where(Area.cluster_code.in_([c.code for c in clusters]))
        .order_by(Area.position, Area.code)
    ).all()
    by_cluster: dict[str, list[Area]] = {c.code: [] for c in clusters}
    for area in areas:
        by_cluster[area.cluster_code].append(area)
    return [(c, by_cluster[c.code]) for c in clusters], total


def list_areas(session: Session, *, cluster: str | None = None, page: PageRequest) -> tuple[list[Area], int]:
    stmt = (
        sa.select(Area)
        .join(Cluster, Cluster.code == Area.cluster_code)
        .order_by(Cluster.position, Area.position, Area.code)
    )
    if cluster:
        stmt = stmt.where(Area.cluster_code == cluster.strip().lower())
    return fetch_page(session, stmt, page)


def list_countries(
    session: Session,
    *,
    region: str | None = None,
    global_south: bool | None = None,
    q: str | None = None,
    page: PageRequest,
) -> tuple[list[Country], int]:
    stmt = sa.select(Country)
    if region:
        wanted = region.strip().lower()
        stmt = stmt.where(sa.or_(sa.func.lower(Country.region) == wanted, sa.func.lower(Country.sub_region) == wanted))
    if global_south is not None:
        stmt = stmt.where(Country.global_south.is_(global_south))
    if q and q.strip():
        code = q.strip().upper()
        exact = sa.or_(Country.iso3 == code, Country.iso2 == code)
        stmt = stmt.where(sa.or_(Country.name.ilike(ilike_pattern(q)), exact)).order_by(sa.case((exact, 0), else_=1))
    return fetch_page(session, stmt.order_by(Country.name, Country.iso3), page)


def list_languages(session: Session, *, q: str | None = None, page: PageRequest) -> tuple[list[Language], int]:
    stmt = sa.select(Language)
    if q and q.strip():
        code = q.strip().lower()
        exact = sa.or_(Language.code == code, Language.iso639_1 == code)
        # "fr" names French by code: that beats Afrikaans, whose name merely contains it. (CASE,
        # not the bare condition: a NULL iso639_1 makes it NULL, and NULLs would sort first.)
        stmt = stmt.where(sa.or_(Language.name.ilike(ilike_pattern(q)), exact)).order_by(sa.case((exact, 0), else_=1))
    return fetch_page(session, stmt.order_by(Language.name, Language.code), page)


# --- the filter selects' options, cached ----------------------------------------------------


@dataclass(frozen=True)
class ReferenceChoices:
    """The options of the filter and form selects, and the names the pages show for codes."""

    clusters: list[tuple[str, str]]
    area_groups: list[tuple[str, list[tuple[str, str]]]]
    countries: list[tuple[str, str]]
    languages: list[tuple[str, str]]
    area_names: dict[str, str]
    country_names: dict[str, str]
    # The skills in use, by area (area name, [(code, name)]); names of every skill, retired ones too.
    skill_groups: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    skill_names: dict[str, str] = field(default_factory=dict)

    def skill_name(self, code: str) -> str:
        return self.skill_names.get(code, code)

    def skill_options(self, chosen: list[str]) -> list[tuple[str, list[tuple[str, str]]]]:
        """The skill groups of the forms, and a last group for chosen codes no area offers any more (retired)."""
        offered = {code for _area, options in self.skill_groups for code, _name in options}
        kept = [(code, self.skill_name(code)) for code in chosen if code not in offered]
        return self.skill_groups + ([(_("Kept from before"), kept)] if kept else [])


# Nearly every page shows these selects or names, and the reference data changes only when the
# taxonomy is seeded again: read it once per process and database, and again after the TTL so a
# reseed shows up without a restart. Keyed by database, as tests and benchmarks switch engines.
CHOICES_TTL_SECONDS = 60.0
_choices_cache: dict[str, tuple[float, dict[str, ReferenceChoices]]] = {}
_choices_lock = threading.Lock()


def reference_choices(session: Session) -> ReferenceChoices:
    """The choices in the language in use (their names; the codes are the same in every language)."""
    if session.info.get(REFERENCE_CHANGED):
        # This transaction changed the reference data and may yet roll back: read it, keep it out of the cache.
        return _read_choices(session)[current()]
    key = str(session.get_bind().engine.url)
    cached = _choices_cache.get(key)
    if cached is not None and cached[0] > time.monotonic():
        return cached[1][current()]
    choices = _read_choices(session)
    with _choices_lock:
        _choices_cache[key] = (time.monotonic() + CHOICES_TTL_SECONDS, choices)
    return choices[current()]


REFERENCE_CHANGED = "capmatch.reference_changed"


def reference_changed(session: Session) -> None:
    """Say that this session's transaction changes the reference data the choices show."""
    session.info[REFERENCE_CHANGED] = True


def clear_choices_cache() -> None:
    """Forget the cached choices (after the reference data changes in this process)."""
    with _choices_lock:
        _choices_cache.clear()


def _read_choices(session: Session) -> dict[str, ReferenceChoices]:
    """The choices in each of the interface's languages, from one read of the tables."""
    clusters = session.execute(
        sa.select(Cluster.code, Cluster.name, Cluster.name_fr).order_by(Cluster.position, Cluster.code)).all()
    areas = session.execute(
        sa.select(Area.cluster_code, Area.code, Area.name, Area.name_fr).order_by(Area.position, Area.code)
    ).all()
    countries = session.execute(sa.select(Country.iso3, Country.name)).all()
    languages = session.execute(sa.select(Language.code, Language.name)).all()
    skills = vocabulary(session)
    found = {}
    for code in LANGUAGES:
        with use(code):
            found[code] = _choices_in_language(clusters, areas, countries, languages, skills)
    return found


def _choices_in_language(clusters, areas, countries, languages, skills) -> ReferenceChoices:
    cluster_names = [(code, in_language(name, fr)) for code, name, fr in clusters]
    area_names = {code: in_language(name, fr) for _cluster, code, name, fr in areas}
    by_cluster: dict[str, list[tuple[str, str]]] = {code: [] for code, _name in cluster_names}
    for cluster_code, code, _name, _fr in areas:
        by_cluster[cluster_code].append((code, area_names[code]))
    country_names = {iso3: country_name(iso3, name) for iso3, name in countries}
    language_names = {code: language_name(code, name) for code, name in languages}
    skill_names = {code: in_language(name, skills.names_fr.get(code)) for code, name in skills.names.items()}
    return ReferenceChoices(
        clusters=cluster_names,
        area_groups=[(name, by_cluster[code]) for code, name in cluster_names],
        countries=sorted(country_names.items(), key=lambda item: (sort_key(item[1]), item[0])),
        languages=sorted(language_names.items(), key=lambda item: (sort_key(item[1]), item[0])),
        area_names=area_names,
        country_names=country_names,
        skill_groups=[(area_names[code], [(c, skill_names[c]) for c in skills.of_areas([code])])
                      for _cluster, code, _name, _fr in areas if skills.of_areas([code])],
        skill_names=skill_names,
    )


# --- reference checks ------------------------------------------------------------------------


# What is wrong with a taxonomy entry's name, in each of its languages (the words name the box).
NAME_TOO_SHORT = {"English": N_("Enter the name in English: at least {count} characters."),
                  "French": N_("Enter the name in French: at least {count} characters.")}
NAME_TOO_LONG = {"English": N_("Shorten the name in English to {count} characters at most."),
                 "French": N_("Shorten the name in French to {count} characters at most.")}


def name_problem(value: str, language: str, *, low: int = 2, high: int) -> str | None:
    """Why a taxonomy entry's name in `language` ("English" or "French") will not do, in words naming it;
    None if it will."""
    if len(value) < low:
        return _(NAME_TOO_SHORT[language], count=low)
    if len(value) > high:
        return _(NAME_TOO_LONG[language], count=high)
    return None


def require_country(session: Session, iso3: str, *, field: str) -> Country:
    country = session.get(Country, iso3.strip().upper())
    if country is None:
        raise InvalidInput(_("No country has the ISO 3166 alpha-3 code '{code}'.", code=iso3), field=field)
    return country


def require_area(session: Session, code: str, *, field: str) -> Area:
    area = session.get(Area, code.strip().lower())
    if area is None:
        raise InvalidInput(_("No capacity area has the code '{code}'.", code=code), field=field)
    return area


def require_areas(session: Session, codes: Sequence[str], *, field: str) -> list[str]:
    """Distinct area codes in the order given; names the first unknown one as field[i]."""
    wanted = [c.strip().lower() for c in codes]
    known = set(session.scalars(sa.select(Area.code).where(Area.code.in_(wanted))))
    for i, code in enumerate(wanted):
        if code not in known:
            raise InvalidInput(_("No capacity area has the code '{code}'.", code=codes[i]), field=f"{field}[{i}]")
    return list(dict.fromkeys(wanted))


def resolve_languages(session: Session, codes: Sequence[str], *, field: str) -> list[Language]:
    """The languages named by ISO 639-3 or 639-1 codes, in order; unknown or repeated ones are 422."""
    wanted = [c.strip().lower() for c in codes]
    rows = session.scalars(
        sa.select(Language).where(sa.or_(Language.code.in_(wanted), Language.iso639_1.in_(wanted)))
    ).all()
    by_code = {row.code: row for row in rows} | {row.iso639_1: row for row in rows if row.iso639_1}
    seen: set[str] = set()
    result = []
    for i, code in enumerate(wanted):
        language = by_code.get(code)
        if language is None:
            raise InvalidInput(_("No language has the ISO 639 code '{code}'.", code=codes[i]),
                               field=f"{field}[{i}].code")
        if language.code in seen:
            raise InvalidInput(_("{language} is listed twice.", language=language_name(language.code, language.name)),
                               field=f"{field}[{i}].code")
        seen.add(language.code)
        result.append(language)
    return result


def language_names(session: Session, codes: set[str]) -> dict[str, str]:
    if not codes:
        return {}
    return dict(session.execute(sa.select(Language.code, Language.name).where(Language.code.in_(codes))).all())
