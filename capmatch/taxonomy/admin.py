"""The administrator's views of the taxonomies (clusters and areas with their use, countries, languages) and renaming an area.

Every function here refuses anyone but an administrator.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from capmatch.audit.service import record
from capmatch.auth.actor import Actor, require_admin
from capmatch.errors import Conflict, NotFound, Problems
from capmatch.i18n import _
from capmatch.needs.models import Need
from capmatch.offers.models import OfferArea
from capmatch.pagination import PageRequest, fetch_page
from capmatch.taxonomy.models import Area, Cluster, Country, Language, Skill
from capmatch.taxonomy.names import alphabetical, country_name, language_name, named_like
from capmatch.taxonomy.service import name_problem


@dataclass(frozen=True)
class AreaRow:
    code: str
    name: str
    name_fr: str
    needs: int
    offers: int


@dataclass(frozen=True)
class ClusterRow:
    code: str
    name: str
    name_fr: str
    cross_cutting: bool
    areas: list[AreaRow]


@dataclass(frozen=True)
class TaxonomyOverview:
    clusters: list[ClusterRow]
    countries: int
    global_south: int
    languages: int
    skills: int = 0  # in use, not retired


def taxonomy_overview(session: Session, *, actor: Actor | None) -> TaxonomyOverview:
    require_admin(actor)
    needs = dict(session.execute(sa.select(Need.area_code, sa.func.count()).group_by(Need.area_code)).all())
    offers = dict(session.execute(
        sa.select(OfferArea.area_code, sa.func.count()).group_by(OfferArea.area_code)
    ).all())
    areas: dict[str, list[AreaRow]] = {}
    for area in session.scalars(sa.select(Area).order_by(Area.position, Area.code)):
        areas.setdefault(area.cluster_code, []).append(
            AreaRow(area.code, area.name, area.name_fr, needs.get(area.code, 0), offers.get(area.code, 0))
        )
    clusters = [
        ClusterRow(c.code, c.name, c.name_fr, c.cross_cutting, areas.get(c.code, []))
        for c in session.scalars(sa.select(Cluster).order_by(Cluster.position, Cluster.code))
    ]
    countries, south = session.execute(
        sa.select(sa.func.count(), sa.func.count().filter(Country.global_south))
    ).one()
    languages = session.scalar(sa.select(sa.func.count()).select_from(Language)) or 0
    skills = session.scalar(sa.select(sa.func.count()).select_from(Skill).where(Skill.retired_at.is_(None))) or 0
    return TaxonomyOverview(clusters, countries, south, languages, skills)


def list_countries_admin(
    session: Session, *, actor: Actor | None, q: str | None = None, page: PageRequest
) -> tuple[list[Country], int]:
    """Countries by their names as the page shows them (in its language), found by part of that name or a code."""
    require_admin(actor)
    names = {iso3: country_name(iso3, name) for iso3, name in session.execute(sa.select(Country.iso3, Country.name))}
    stmt = sa.select(Country).order_by(_in_order(Country.iso3, alphabetical(names)))
    if q and q.strip():
        stmt = stmt.where(sa.or_(Country.iso3.in_(named_like(names, q)), Country.iso3 == q.strip().upper()))
    return fetch_page(session, stmt, page)


def list_languages_admin(
    session: Session, *, actor: Actor | None, q: str | None = None, page: PageRequest
) -> tuple[list[Language], int]:
    """Languages as countries are: by their names in the page's language, found by part of it or an ISO code."""
    require_admin(actor)
    names = {code: language_name(code, name) for code, name in session.execute(sa.select(Language.code, Language.name))}
    stmt = sa.select(Language).order_by(_in_order(Language.code, alphabetical(names)))
    if q and q.strip():
        code = q.strip().lower()
        stmt = stmt.where(sa.or_(Language.code.in_(named_like(names, q)), Language.code == code,
                                 Language.iso639_1 == code))
    return fetch_page(session, stmt, page)


def _in_order(column: sa.ColumnElement[str], codes: list[str]) -> sa.ColumnElement[int]:
    # The names in the language in use are not in the table: the order is given as the list of codes.
    return sa.func.array_position(sa.cast(codes, ARRAY(sa.Text)), sa.cast(column, sa.Text))


def get_area(session: Session, *, actor: Actor | None, code: str) -> Area:
    require_admin(actor)
    area = session.get(Area, code)
    if area is None:
        raise NotFound(_("No capacity area has the code '{code}'.", code=code))
    return area


def rename_area(session: Session, *, actor: Actor | None, code: str, name: str, name_fr: str) -> Area:
    """Names only: the code is what needs, offers and imported rosters refer to, so it never changes."""
    actor = require_admin(actor)
    area = get_area(session, actor=actor, code=code)
    name, name_fr = name.strip(), name_fr.strip()
    problems = Problems()
    for field, value, language, limit in (("name", name, "English", 120), ("name_fr", name_fr, "French", 160)):
        if problem := name_problem(value, language, high=limit):
            problems.add(problem, field=field)
    taken = None if problems.has("name") else session.scalar(
        sa.select(Area.code).where(sa.func.lower(Area.name) == name.lower(), Area.code != code).limit(1)
    )
    if taken is not None:
        problems.found.append(Conflict(_("The area '{code}' already has the name {name}: choose another name.",
                                         code=taken, name=name), field="name"))
    problems.raise_any()
    before = {"name": area.name, "name_fr": area.name_fr}
    area.name, area.name_fr = name, name_fr
    record(session, actor=actor, entity_type="area", entity_id=0, action="rename",
           data={"code": code, "before": before, "after": {"name": name, "name_fr": name_fr}})
    return area
