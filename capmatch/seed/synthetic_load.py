"""Write a generated synthetic marketplace into the database with COPY (capmatch seed synthetic).

Synthetic rows are recognisable: organization names start with "Synthetic", need and offer titles
with "[synthetic]". Loading refuses to run twice unless asked to replace the previous synthetic
rows, so the same seed never duplicates anything.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from capmatch.enums import DEFAULT_AGREEMENT_FORM
from capmatch.errors import Conflict
from capmatch.models import Membership, Need, Offer, Organization, Proposal
from capmatch.seed.names import name_lists, group_for
from capmatch.seed.synthetic import EPOCH, PREFIX, TITLE_MARK, Shape, Synthetic, generate

CHUNK = 20_000
Progress = Callable[[str, int, int], None]  # (table, rows written so far, total rows)


@dataclass(frozen=True)
class SyntheticCounts:
    organizations: int
    needs: int
    need_languages: int
    offers: int
    offer_areas: int
    offer_languages: int
    seconds: float


def synthetic_org_ids(session: Session) -> sa.Select:
    return sa.select(Organization.id).where(Organization.name.like(f"{PREFIX} %"))


def has_synthetic_data(session: Session) -> bool:
    return session.scalar(sa.select(sa.func.count()).select_from(synthetic_org_ids(session).subquery())) > 0


def delete_synthetic(session: Session) -> None:
    """Remove earlier synthetic rows; their languages, areas and gaps go with them by cascade."""
    orgs = synthetic_org_ids(session)
    needs = sa.select(Need.id).where(Need.requester_org_id.in_(orgs))
    offers = sa.select(Offer.id).where(Offer.provider_org_id.in_(orgs))
    session.execute(sa.delete(Proposal).where(Proposal.need_id.in_(needs) | Proposal.offer_id.in_(offers)))
    session.execute(sa.delete(Need).where(Need.requester_org_id.in_(orgs)))
    session.execute(sa.delete(Offer).where(Offer.provider_org_id.in_(orgs)))
    session.execute(sa.delete(Organization).where(Organization.name.like(f"{PREFIX} %")))


def _reserve_ids(session: Session, table: str, count: int) -> np.ndarray:
    """Ids drawn from the table's own sequence, so later ordinary inserts never collide."""
    if count == 0:
        return np.zeros(0, dtype=np.int64)
    ids = session.execute(
        sa.text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
        {"table": table, "n": count},
    ).scalars().all()
    return np.array(ids, dtype=np.int64)


def _dates(days: np.ndarray) -> np.ndarray:
    text = (np.datetime64(EPOCH.isoformat()) + days.astype("timedelta64[D]")).astype(str).astype(object)
    text[days < 0] = "\\N"
    return text


def _copy(session: Session, table: str, columns: list[str], lines: list[str], progress: Progress) -> None:
    cursor = session.connection().connection.driver_connection.cursor()
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for start in range(0, len(lines), CHUNK):
            copy.write("".join(lines[start:start + CHUNK]))
            progress(table, min(start + CHUNK, len(lines)), len(lines))
    progress(table, len(lines), len(lines))


def _rows(*columns: np.ndarray | list) -> list[str]:
    return ["\t".join(map(str, row)) + "\n" for row in zip(*columns)]


def _insert_orgs(session: Session, data: Synthetic) -> np.ndarray:
    rows = [{"name": o.name, "acronym": None, "kind": o.kind, "country_iso3": o.country_iso3,
             "agreement_form": DEFAULT_AGREEMENT_FORM[o.kind], "may_request": o.may_request,
             "may_provide": o.may_provide, "description": "Synthetic organization for load tests."}
            for o in data.orgs]
    statement = insert(Organization).returning(Organization.id, sort_by_parameter_order=True)
    ids = session.execute(statement, rows).scalars().all()
    members = [{"organization_id": ids[i], "country_iso3": c} for i, o in enumerate(data.orgs) for c in o.members]
    if members:
        session.execute(insert(Membership).values(members))
    return np.array(ids, dtype=np.int64)


def _skills(rng: np.random.Generator, shape: Shape, areas: np.ndarray) -> list[str]:
    vocab = [shape.skills[a] for a in shape.areas]
    picks = rng.random((areas.size, 2))
    out = []
    for area, (p, q) in zip(areas, picks):
        words = vocab[area]
        first, second = words[int(p * len(words))], words[int(q * len(words))]
        out.append("{" + (first if first == second else f"{first},{second}") + "}")
    return out


def _names(rng: np.random.Generator, shape: Shape, nationality: np.ndarray, female: np.ndarray) -> list[str]:
    groups = name_lists()["groups"]
    picks = rng.random((nationality.size, 2))
    names = []
    for nat, is_female, (p, q) in zip(nationality, female, picks):
        group = groups[group_for(shape.nationalities[nat])]
        given = group["female" if is_female else "male"]
        names.append(f"{given[int(p * len(given))]} {group['family'][int(q * len(group['family']))]}")
    return names


def load(session: Session, data: Synthetic, progress: Progress) -> SyntheticCounts:
    started = time.perf_counter()
    shape = Shape()
    rng = np.random.default_rng([data.seed, 2])  # text fields: deterministic, apart from the numbers
    org_ids = _insert_orgs(session, data)
    needs, offers = data.needs, data.offers
    area_code = np.array(shape.areas, dtype=object)
    lang_code = np.array(shape.languages, dtype=object)
    roles = np.array([shape.roles[a] for a in shape.areas], dtype=object)
    nationality_code = np.array(shape.nationalities, dtype=object)

    need_ids = _reserve_ids(session, "needs", needs["duty"].size)
    titles = [f"{TITLE_MARK} {r} #{i}" for i, r in enumerate(roles[needs["area"]])]
    _copy(session, "needs",
          ["id", "requester_org_id", "duty_country_iso3", "title", "terms_of_reference", "area_code", "skills",
           "min_years_experience", "positions", "start_by", "duration_months", "modality", "funding", "urgency",
           "exclude_duty_nationals", "status"],
          _rows(need_ids, org_ids[needs["requester"]], needs["duty"], titles,
                ["Synthetic need for load tests."] * need_ids.size, area_code[needs["area"]],
                _skills(rng, shape, needs["area"]), needs["min_years"], needs["positions"], _dates(needs["start_day"]),
                needs["duration"], needs["modality"], needs["funding"], needs["urgency"], ["f"] * need_ids.size, needs["status"]),
          progress)
    restricted = needs["eligible"] >= 0
    _copy(session, "need_eligible_groupings", ["need_id", "organization_id"],
          _rows(need_ids[restricted], org_ids[needs["eligible"][restricted]]), progress)
    nl = data.need_languages
    _copy(session, "need_languages", ["need_id", "language_code", "min_level"],
          _rows(need_ids[nl["need"]], lang_code[nl["language"]], nl["min_level"]), progress)

    offer_ids = _reserve_ids(session, "offers", offers["kind"].size)
    individual = offers["kind"] == "individual_expert"
    names = np.array(_names(rng, shape, offers["nationality"], offers["female"]), dtype=object)
    names[~individual] = "\\N"
    gender = np.where(offers["female"], "female", "male").astype(object)
    gender[~individual] = "\\N"
    senior = np.where(offers["years"] >= 15, "Senior ", "")
    titles = [f"{TITLE_MARK} {s}{r}" for s, r in zip(senior, roles[offers["main_area"]])]
    bearer = np.where(np.isin(offers["provider"], [i for i, o in enumerate(data.orgs) if o.kind == "member_state_agency"]),
                      "provider", "requester")
    _copy(session, "offers",
          ["id", "provider_org_id", "kind", "title", "summary", "expert_name", "nationality_iso3", "gender",
           "years_experience", "skills", "capacity", "available_from", "available_until", "lead_time_days",
           "max_duration_months", "monthly_cost_usd", "cost_bearer", "screening_valid_until", "status"],
          _rows(offer_ids, org_ids[offers["provider"]], offers["kind"], titles,
                ["Synthetic offer for load tests."] * offer_ids.size, names, nationality_code[offers["nationality"]],
                gender, offers["years"], _skills(rng, shape, offers["main_area"]), offers["capacity"],
                _dates(offers["from_day"]), _dates(offers["until_day"]), offers["lead"], offers["max_duration"],
                offers["cost"], bearer, _dates(offers["screening_day"]), ["available"] * offer_ids.size),
          progress)
    oa, ol = data.offer_areas, data.offer_languages
    _copy(session, "offer_areas", ["offer_id", "area_code"], _rows(offer_ids[oa["offer"]], area_code[oa["area"]]), progress)
    _copy(session, "offer_languages", ["offer_id", "language_code", "level"],
          _rows(offer_ids[ol["offer"]], lang_code[ol["language"]], ol["level"]), progress)
    # Fresh statistics, so the matching queries that follow get sensible plans straight away.
    session.execute(sa.text("ANALYZE needs, need_languages, offers, offer_areas, offer_languages"))
    return SyntheticCounts(len(data.orgs), need_ids.size, nl["need"].size, offer_ids.size, oa["offer"].size,
                           ol["offer"].size, round(time.perf_counter() - started, 1))


def load_synthetic(session: Session, *, needs: int, offers: int, seed: int, replace: bool = False,
                   progress: Progress | None = None) -> SyntheticCounts:
    """Generate and load a synthetic marketplace; the caller commits."""
    if has_synthetic_data(session):
        if not replace:
            raise Conflict("Synthetic data is already loaded; pass --replace to delete it and load again.")
        delete_synthetic(session)
    return load(session, generate(needs, offers, seed), progress or (lambda *_: None))
