"""Reading needs: who may see which, the list filters and full-text search, and the shape answered."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import REGCONFIG, aggregate_order_by
from sqlalchemy.orm import Session

from capmatch.auth.actor import Actor
from capmatch.enums import MATCHABLE_NEED_STATUSES, URGENCIES, int_to_cefr
from capmatch.errors import NotFound
from capmatch.i18n import _
from capmatch.needs.models import Need, NeedEligibleGrouping, NeedLanguage
from capmatch.organizations.models import Membership, Organization
from capmatch.pagination import PageRequest
from capmatch.sorting import Sort
from capmatch.taxonomy.models import Area, Country, Language


@dataclass(frozen=True)
class NeedLanguageView:
    code: str
    name: str
    min_level: str


@dataclass(frozen=True)
class NeedRecord:
    """A need with what a reader needs beside its own row."""

    need: Need
    requester_name: str
    cluster_code: str
    languages: list[NeedLanguageView]
    # Ids of the groupings whose members' nationals alone may answer, in id order; empty: anyone.
    eligible_members_of: list[int]
    requester_acronym: str | None = None  # lists show it in place of the name


@dataclass(frozen=True)
class NeedFilters:
    cluster: str | None = None
    area: str | None = None
    country: str | None = None
    language: str | None = None
    status: tuple[str, ...] = ()
    urgency: tuple[str, ...] = ()
    requester: int | None = None
    global_south: bool | None = None
    q: str | None = None


def _visibility(actor: Actor | None) -> tuple[str, dict[str, Any]]:
    """Which needs the actor may list: all (the secretariat), the public ones, or those and its own."""
    if actor is not None and actor.is_secretariat:
        return "all", {}
    if actor is not None and actor.organization_id is not None:
        return "own", {"own_org": actor.organization_id}
    return "public", {}


_VISIBLE = {
    "all": sa.true,
    "public": lambda: Need.status.in_(MATCHABLE_NEED_STATUSES),
    "own": lambda: sa.or_(Need.status.in_(MATCHABLE_NEED_STATUSES), Need.requester_org_id == sa.bindparam("own_org")),
}


# A need's own page stays public once it is filled: who asked for what, and that it was answered.
PUBLIC_NEED_STATUSES = (*MATCHABLE_NEED_STATUSES, "filled")


def can_see_need(actor: Actor | None, need: Need) -> bool:
    if need.status in PUBLIC_NEED_STATUSES:
        return True
    return actor is not None and (actor.is_secretariat or actor.acts_for(need.requester_org_id))


def websearch(q: str | sa.BindParameter) -> sa.ColumnElement:
    """The tsquery of a search box's words, worked out once per statement.

    psycopg prepares a statement the fifth time it runs it, and PostgreSQL's generic plan for a
    prepared statement calls a plain websearch_to_tsquery(...) again for every row it tests and
    ranks: a common word's search took twice as long. As a scalar subquery it is an InitPlan,
    computed once, and the GIN index still serves `search @@` it.
    """
    return sa.select(sa.func.websearch_to_tsquery(sa.cast("english", REGCONFIG), q)).scalar_subquery()


def language_codes_matching(code: str | sa.BindParameter) -> sa.Select:
    """Language codes a filter value names: ISO 639-3 as stored, or its 639-1 alias."""
    if isinstance(code, str):
        code = code.strip().lower()
    return sa.select(Language.code).where(sa.or_(Language.code == code, Language.iso639_1 == code))


# The columns a list of needs sorts by. Urgency sorts by its rank (low < normal < high < critical), not its
# spelling; a need without an answer-by date takes offers until its start, so sorts by that; the id breaks
# ties, so a page never repeats or skips a need.
NEED_SORTS = {
    "start_by": Need.start_by,
    "answer_by": sa.func.coalesce(Need.answer_by, Need.start_by),
    "urgency": sa.case({u: rank for rank, u in enumerate(URGENCIES)}, value=Need.urgency),
    "positions": Need.positions,
    "posted": Need.created_at,
}
# Without a sort or a search: the soonest start first.
DEFAULT_NEED_SORT = Sort("start_by")


def _ordered(sort: Sort) -> tuple[sa.ColumnElement, ...]:
    column = NEED_SORTS[sort.key]
    return column.desc() if sort.descending else column.asc(), Need.id


def _parameters(actor: Actor | None, f: NeedFilters) -> tuple[str, dict[str, Any]]:
    """Who may see which needs, and the filters' values, as the parameters of the statements below."""
    visibility, params = _visibility(actor)
    given = {
        "cluster": f.cluster.lower() if f.cluster else None,
        "area": f.area.strip().lower() if f.area else None,
        "country": f.country.strip().upper() if f.country else None,
        "language": f.language.strip().lower() if f.language else None,
        "status": list(f.status) or None,
        "urgency": list(f.urgency) or None,
        "requester": f.requester,
        "q": f.q.strip() if f.q and f.q.strip() else None,
    }
    params.update({name: value for name, value in given.items() if value is not None})
    return visibility, params


def need_conditions(actor: Actor | None, filters: NeedFilters) -> tuple[list[sa.ColumnElement[bool]], dict[str, Any]]:
    """The WHERE clauses of a list of needs (what the actor may see, the filters, a search) and their
    parameters, for a statement of another shape over the same needs (an export)."""
    visibility, params = _parameters(actor, filters)
    given = frozenset(n for n in params if n in _FILTERS or n == "q")
    where = _where(visibility, filters.global_south, given)
    if "q" in given:
        where.append(Need.search.bool_op("@@")(websearch(sa.bindparam("q"))))
    return where, params


def list_needs(
    session: Session, *, actor: Actor | None, filters: NeedFilters, page: PageRequest, sort: Sort | None = None
) -> tuple[list[NeedRecord], int]:
    """A page of needs, in `sort`'s order; without one, the soonest start first, or a search's best match."""
    visibility, params = _parameters(actor, filters)
    given = frozenset(n for n in params if n in _FILTERS or n == "q")
    params.update(limit=page.page_size, offset=page.offset)
    count, page_of = _statements(visibility, filters.global_south, given, sort)
    rows = session.execute(page_of, params).all()
    if "q" not in params:
        return _records(rows), session.scalar(count, params) or 0
    # A search counts its matches in the page's own statement (see _statements); past the last
    # page there is no row to carry the count.
    if rows or page.offset == 0:
        return _records(rows), rows[0].total if rows else 0
    return [], session.scalar(count, params) or 0


_FILTERS = {
    # = ANY(ARRAY(subquery)), not IN (subquery): an array the planner can use with the area index
    # (and AND with the search index), where IN hash-joins every need that matches the rest.
    "cluster": lambda: Need.area_code == sa.any_(sa.func.array(
        sa.select(Area.code).where(Area.cluster_code == sa.bindparam("cluster")).scalar_subquery())),
    "area": lambda: Need.area_code == sa.bindparam("area"),
    "country": lambda: Need.duty_country_iso3 == sa.bindparam("country"),
    "language": lambda: sa.exists().where(
        NeedLanguage.need_id == Need.id,
        NeedLanguage.language_code.in_(language_codes_matching(sa.bindparam("language"))),
    ),
    "status": lambda: Need.status.in_(sa.bindparam("status", expanding=True)),
    "urgency": lambda: Need.urgency.in_(sa.bindparam("urgency", expanding=True)),
    "requester": lambda: Need.requester_org_id == sa.bindparam("requester"),
}


def _where(visibility: str, global_south: bool | None, given: frozenset[str]) -> list[sa.ColumnElement[bool]]:
    where = [_VISIBLE[visibility](), *(_FILTERS[name]() for name in sorted(given - {"q"}))]
    if global_south is not None:
        where.append(Need.duty_country_iso3.in_(
            sa.select(Country.iso3).where(Country.global_south.is_(global_south))))
    return where


@lru_cache(maxsize=128)
def _statements(visibility: str, global_south: bool | None, given: frozenset[str],
                sort: Sort | None) -> tuple[sa.Select, sa.Select]:
    """The count and the page of a list with these filters, their values left as parameters.

    Built once per combination of filters rather than per request: building the select and its
    cache key took longer than PostgreSQL took to run it.
    """
    where = _where(visibility, global_south, given)
    limit = sa.bindparam("limit", type_=sa.Integer)
    offset = sa.bindparam("offset", type_=sa.Integer)
    if "q" not in given:
        count = sa.select(sa.func.count()).select_from(Need).where(*where)
        return count, _with_details(sa.select(Need).where(*where).order_by(*_ordered(sort or DEFAULT_NEED_SORT))
                                    .limit(limit).offset(offset))
    # Ranking reads and ranks every match before it can keep the best 20, so the same pass counts
    # them (count(*) OVER ()), rather than a second query matching them all again. Only the page's
    # ids go through the window; the 20 needs and what a reader needs beside them are joined after.
    # A search asked for in another order keeps that order, and the window still counts its matches.
    query = websearch(sa.bindparam("q"))
    where.append(Need.search.bool_op("@@")(query))
    rank = sa.func.ts_rank(Need.search, query)
    ranked = (
        sa.select(Need.id, rank.label("rank"), sa.func.count().over().label("total"))
        .where(*where)
        .order_by(*(_ordered(sort) if sort else (rank.desc(), Need.id)))
        .limit(limit)
        .offset(offset)
        .subquery()
    )
    page_of = (
        _with_details(sa.select(Need).join(ranked, ranked.c.id == Need.id))
        .add_columns(ranked.c.total)
        .order_by(*(_ordered(sort) if sort else (ranked.c.rank.desc(), Need.id)))
    )
    return sa.select(sa.func.count()).select_from(Need).where(*where), page_of


def get_need(session: Session, *, actor: Actor | None, need_id: int) -> NeedRecord:
    found = _records(session.execute(_ONE_NEED, {"need_id": need_id}))
    if not found or not can_see_need(actor, found[0].need):
        raise NotFound(_("No need has the id {id}.", id=need_id))
    return found[0]


# A need's languages as one JSON array, strictest first: [[code, name, level], ...] (NULL if none).
# The name is a lookup by key per language: joined, PostgreSQL hashed all the languages for each need.
_LANGUAGE_NAME = sa.select(Language.name).where(Language.code == NeedLanguage.language_code).scalar_subquery()
_LANGUAGES = (
    sa.select(sa.func.json_agg(aggregate_order_by(
        sa.func.json_build_array(NeedLanguage.language_code, _LANGUAGE_NAME, NeedLanguage.min_level),
        NeedLanguage.min_level.desc(), NeedLanguage.language_code,
    )))
    .where(NeedLanguage.need_id == Need.id)
    .scalar_subquery()
)


_GROUPINGS = (
    sa.select(sa.func.array_agg(aggregate_order_by(NeedEligibleGrouping.organization_id,
                                                   NeedEligibleGrouping.organization_id)))
    .where(NeedEligibleGrouping.need_id == Need.id)
    .scalar_subquery()
)


def _with_details(stmt: sa.Select) -> sa.Select:
    """A select of needs, with what a reader needs beside each: the rows of NeedRecord in one query.

    The requester's name, the cluster and the languages came from three more queries per page;
    joined here they cost PostgreSQL less than the round trips did.
    """
    return (
        stmt.add_columns(Organization.name, Area.cluster_code, _LANGUAGES, _GROUPINGS, Organization.acronym)
        .join(Organization, Organization.id == Need.requester_org_id)
        .join(Area, Area.code == Need.area_code)
    )


# Built once, like _statements: building a select costs more than running it.
_ONE_NEED = _with_details(sa.select(Need).where(Need.id == sa.bindparam("need_id")))


def _records(rows) -> list[NeedRecord]:
    return [
        NeedRecord(need, requester, cluster,
                   [NeedLanguageView(code, name, int_to_cefr(level)) for code, name, level in languages or ()],
                   list(groupings or ()), acronym)
        for need, requester, cluster, languages, groupings, acronym, *_ in rows
    ]


def describe_needs(session: Session, needs: list[Need]) -> list[NeedRecord]:
    """The records of needs in hand (one just written, say), in their order."""
    if not needs:
        return []
    rows = session.execute(_with_details(sa.select(Need).where(Need.id.in_([n.id for n in needs]))))
    by_id = {record.need.id: record for record in _records(rows)}
    return [by_id[n.id] for n in needs]


def eligibility_groupings(session: Session) -> dict[int, str]:
    """The organizations a need may restrict eligibility to (those with member countries), by id."""
    has_members = sa.select(Membership.organization_id).where(Membership.organization_id == Organization.id).exists()
    return dict(session.execute(sa.select(Organization.id, Organization.name).where(has_members)
                                .order_by(Organization.name)).all())
