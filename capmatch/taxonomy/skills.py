"""The skills vocabulary as the other domains use it: read it, list it, and turn what a client
wrote into codes (a 422 naming the skill's place in the list and the nearest codes otherwise)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.errors import InvalidInput
from capmatch.pagination import PageRequest, fetch_page
from capmatch.taxonomy.models import Area, Cluster, Skill, SkillArea
from capmatch.taxonomy.skill_words import Vocabulary, resolve_all


def vocabulary(session: Session) -> Vocabulary:
    """Read fresh for every check (about 130 rows): a skill an administrator just added is accepted at once."""
    skills = session.execute(sa.select(Skill.code, Skill.name, Skill.name_fr, Skill.retired_at)).all()
    links = session.execute(
        sa.select(SkillArea.area_code, SkillArea.skill_code)
        .join(Area, Area.code == SkillArea.area_code)
        .join(Cluster, Cluster.code == Area.cluster_code)
        .order_by(Cluster.position, Area.position, Area.code, SkillArea.position, SkillArea.skill_code)
    ).all()
    area_rows = session.execute(sa.select(Area.code, Area.name, Area.name_fr)).all()
    areas: dict[str, list[str]] = {}
    for area_code, skill_code in links:
        areas.setdefault(area_code, []).append(skill_code)
    return Vocabulary(
        names={code: name for code, name, _fr, _retired in skills},
        names_fr={code: fr for code, _name, fr, _retired in skills if fr},
        areas={area: tuple(codes) for area, codes in areas.items()},
        area_names={code: name for code, name, _fr in area_rows},
        area_names_fr={code: fr for code, _name, fr in area_rows if fr},
        retired=frozenset(code for code, _name, _fr, retired in skills if retired is not None),
    )


def resolve_skills(
    session: Session, values: Sequence[str], *, areas: Sequence[str], field: str, keep: Iterable[str] = (),
    vocab: Vocabulary | None = None,
) -> list[str]:
    """The codes of the skills `values` name among the skills of `areas`; the first that names none is a 422.

    `keep` are the codes the record already holds: a skill retired since stays on it when it is saved again.
    """
    codes, problems = resolve_all(vocab or vocabulary(session), values, areas=areas, keep=keep)
    if problems:
        index, message = problems[0]
        raise InvalidInput(message, field=f"{field}[{index}]")
    return codes


def list_skills(
    session: Session, *, area: str | None = None, include_retired: bool = False, page: PageRequest,
) -> tuple[list[tuple[Skill, list[str]]], int]:
    """Skills in the vocabulary's order (by area), each with the codes of its areas."""
    first = (
        sa.select(SkillArea.skill_code, sa.func.min(sa.cast(Cluster.position, sa.Integer) * 10000 + sa.cast(Area.position, sa.Integer) * 100
                                               + SkillArea.position)
                  .label("rank"))
        .join(Area, Area.code == SkillArea.area_code).join(Cluster, Cluster.code == Area.cluster_code)
        .group_by(SkillArea.skill_code).subquery()
    )
    stmt = sa.select(Skill).join(first, first.c.skill_code == Skill.code).order_by(first.c.rank, Skill.code)
    if area:
        stmt = stmt.where(Skill.code.in_(sa.select(SkillArea.skill_code).where(SkillArea.area_code == area.strip().lower())))
    if not include_retired:
        stmt = stmt.where(Skill.retired_at.is_(None))
    skills, total = fetch_page(session, stmt, page)
    areas: dict[str, list[str]] = {s.code: [] for s in skills}
    for skill_code, area_code in session.execute(
        sa.select(SkillArea.skill_code, SkillArea.area_code)
        .join(Area, Area.code == SkillArea.area_code)
        .where(SkillArea.skill_code.in_(list(areas))).order_by(Area.position, Area.code)
    ):
        areas[skill_code].append(area_code)
    return [(s, areas[s.code]) for s in skills], total
