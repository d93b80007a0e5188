"""The administrator's work on the skills vocabulary: list it with its use, add a skill, rename one, retire or restore it.

A code never changes and a skill is never deleted: needs, offers and roster files refer to it. A
retired skill stays on the records that hold it, and forms, the API and imports no longer take it.
Every function here refuses anyone but an administrator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.audit.service import record
from capmatch.auth.actor import Actor, require_admin
from capmatch.errors import Conflict, NotFound, Problems
from capmatch.i18n import _
from capmatch.needs.models import Need
from capmatch.offers.models import Offer
from capmatch.taxonomy.models import Area, Skill, SkillArea
from capmatch.taxonomy.names import in_language, name_column
from capmatch.taxonomy.service import name_problem, reference_changed
from capmatch.taxonomy.skills import vocabulary

CODE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class SkillRow:
    code: str
    name: str
    name_fr: str | None
    retired: bool
    needs: int
    offers: int


@dataclass(frozen=True)
class AreaSkills:
    code: str
    name: str
    skills: list[SkillRow]


def skills_overview(session: Session, *, actor: Actor | None) -> list[AreaSkills]:
    """Every area with its skills (retired ones too) and how many needs and offers hold each."""
    require_admin(actor)
    vocab = vocabulary(session)
    needs = _use(session, Need)
    offers = _use(session, Offer)
    fr = vocab.names_fr
    return [
        AreaSkills(area, vocab.area_name(area), [
            SkillRow(code, vocab.names[code], fr.get(code), code in vocab.retired, needs.get(code, 0), offers.get(code, 0))
            for code in codes
        ])
        for area, codes in vocab.areas.items()
    ]


def _use(session: Session, model: type[Need] | type[Offer]) -> dict[str, int]:
    skill = sa.func.unnest(model.skills).label("skill")
    held = sa.select(skill).subquery()
    return dict(session.execute(sa.select(held.c.skill, sa.func.count()).group_by(held.c.skill)).all())


def get_skill(session: Session, *, actor: Actor | None, code: str) -> Skill:
    require_admin(actor)
    skill = session.get(Skill, code)
    if skill is None:
        raise NotFound(_("No skill has the code '{code}'.", code=code))
    return skill


def skill_areas(session: Session, *, actor: Actor | None, code: str) -> list[str]:
    require_admin(actor)
    return list(session.scalars(
        sa.select(name_column(Area)).join(SkillArea, SkillArea.area_code == Area.code)
        .where(SkillArea.skill_code == code).order_by(Area.position, Area.code)
    ))


def add_skill(
    session: Session, *, actor: Actor | None, code: str, name: str, name_fr: str, areas: list[str],
) -> Skill:
    actor = require_admin(actor)
    code = code.strip().lower()
    problems = Problems()
    if not CODE.fullmatch(code) or len(code) > 60:
        problems.add(_("Write the code in lower case letters, digits and underscores, starting with a letter, "
                       "at most 60 characters: prison_census."), field="code")
    elif session.get(Skill, code) is not None:
        problems.found.append(Conflict(_("A skill already has the code {code}: choose another code.", code=code),
                                       field="code"))
    name, name_fr = _names(name, name_fr, problems)
    if name:
        with problems.check():
            _name_is_free(session, name, code)
    if not areas:
        problems.add(_("Choose at least one capacity area."), field="areas")
    else:
        known = set(session.scalars(sa.select(Area.code).where(Area.code.in_([a for a in areas if CODE.fullmatch(a)]))))
        unknown = [a for a in areas if a not in known]
        if unknown:
            problems.add(_("Choose the capacity areas from the list: there is no area '{code}'.", code=unknown[0]),
                         field="areas")
    problems.raise_any()
    skill = Skill(code=code, name=name, name_fr=name_fr)
    session.add(skill)
    # The new skill goes last in each of its areas' lists.
    last = dict(session.execute(sa.select(SkillArea.area_code, sa.func.max(SkillArea.position))
                                .where(SkillArea.area_code.in_(areas)).group_by(SkillArea.area_code)).all())
    session.flush()  # the skill's row before the rows that refer to it
    session.add_all(SkillArea(skill_code=code, area_code=a, position=last.get(a, -1) + 1) for a in dict.fromkeys(areas))
    reference_changed(session)
    record(session, actor=actor, entity_type="skill", entity_id=0, action="create",
           data={"code": code, "name": name, "name_fr": name_fr, "areas": list(dict.fromkeys(areas))})
    return skill


def rename_skill(session: Session, *, actor: Actor | None, code: str, name: str, name_fr: str) -> Skill:
    """Names only: the code is what needs, offers and roster files hold."""
    actor = require_admin(actor)
    skill = get_skill(session, actor=actor, code=code)
    problems = Problems()
    name, name_fr = _names(name, name_fr, problems)
    if name:
        with problems.check():
            _name_is_free(session, name, code)
    problems.raise_any()
    before = {"name": skill.name, "name_fr": skill.name_fr}
    skill.name, skill.name_fr = name, name_fr
    reference_changed(session)
    record(session, actor=actor, entity_type="skill", entity_id=0, action="rename",
           data={"code": code, "before": before, "after": {"name": name, "name_fr": name_fr}})
    return skill


def retire_skill(session: Session, *, actor: Actor | None, code: str, now: datetime | None = None) -> Skill:
    actor = require_admin(actor)
    skill = get_skill(session, actor=actor, code=code)
    if skill.retired_at is not None:
        raise Conflict(_("The skill {skill} is already retired.", skill=in_language(skill.name, skill.name_fr)),
                       field="")
    skill.retired_at = now or datetime.now(UTC)
    reference_changed(session)
    record(session, actor=actor, entity_type="skill", entity_id=0, action="retire", data={"code": code})
    return skill


def restore_skill(session: Session, *, actor: Actor | None, code: str) -> Skill:
    actor = require_admin(actor)
    skill = get_skill(session, actor=actor, code=code)
    if skill.retired_at is None:
        raise Conflict(_("The skill {skill} is in use, not retired.", skill=in_language(skill.name, skill.name_fr)),
                       field="")
    skill.retired_at = None
    reference_changed(session)
    record(session, actor=actor, entity_type="skill", entity_id=0, action="restore", data={"code": code})
    return skill


def _names(name: str, name_fr: str, problems: Problems) -> tuple[str, str | None]:
    """The names, stripped; the English one "" when it will not do (its problem is in `problems`)."""
    name, name_fr = name.strip(), name_fr.strip()
    if problem := name_problem(name, "English", high=120):
        problems.add(problem, field="name")
        name = ""
    if problem := name_problem(name_fr, "French", low=0, high=160):  # the French name may wait
        problems.add(problem, field="name_fr")
    return name, name_fr or None


def _name_is_free(session: Session, name: str, code: str) -> None:
    # Two skills with one name could not be told apart on a form or in a roster file.
    taken = session.scalar(
        sa.select(Skill.code).where(sa.func.lower(Skill.name) == name.lower(), Skill.code != code).limit(1)
    )
    if taken is not None:
        raise Conflict(_("The skill {code} already has the name {name}: choose another name.", code=taken, name=name),
                       field="name")
