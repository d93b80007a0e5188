"""Read the open needs and available offers into the integer-coded arrays the pure core takes.

All reads happen in the caller's transaction; run under REPEATABLE READ they form one
consistent snapshot. Queries fetch whole columns at once (no per-row ORM objects): a
marketplace of 200,000 offers must load in a few seconds.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.enums import FIXED_PROPOSAL_STATUSES, MATCHABLE_NEED_STATUSES, RESERVING_PROPOSAL_STATUSES
from capmatch.matching.codebook import Codebook, dense_codes, skill_codes
from capmatch.matching.core.codes import GENDER, MODALITY, OFFER_KIND, PROVIDER_KIND, URGENCY
from capmatch.matching.core.problem import NeedArrays, OfferArrays

@dataclass(frozen=True)
class Snapshot:
    needs: NeedArrays
    offers: OfferArrays
    codebook: Codebook
    input_hash: str
    fixed_pairs: int


def _columns(session: Session, sql: str, names: tuple[str, ...], order: str, params: dict | None = None) -> dict:
    """Run `sql` and return each named column as one numpy array.

    PostgreSQL aggregates every column into a single array (array_agg), which psycopg decodes in
    C: several times faster than building a Python tuple per row at 200,000 rows.
    """
    aggregates = ", ".join(f"array_agg(q.{name} ORDER BY {order})" for name in names)
    row = session.execute(sa.text(f"SELECT {aggregates} FROM ({sql}) q"), params or {}).one()
    return {name: np.array(values if values is not None else []) for name, values in zip(names, row)}


def _indptr(owner_ids: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """CSR row pointers of `ids` (sorted) for values whose owners are `owner_ids` (sorted)."""
    indptr = np.zeros(len(ids) + 1, dtype=np.int64)
    indptr[1:] = np.searchsorted(owner_ids, ids, side="right")
    return indptr


def _keep(owner_ids: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Mask of values whose owner is among `ids`."""
    if len(ids) == 0:
        return np.zeros(len(owner_ids), dtype=bool)
    pos = np.minimum(np.searchsorted(ids, owner_ids), len(ids) - 1)
    return ids[pos] == owner_ids


FEW = 100


def _child(session: Session, sql: str, names: tuple[str, ...], ids: np.ndarray, params: dict | None = None) -> dict:
    """Rows of a child table (first column: the owner id), restricted and ordered by owner."""
    if len(ids) <= FEW:
        # A few owners (one pair judged by hand): read only their rows, not the whole table.
        sql = f"SELECT * FROM ({sql}) c WHERE c.owner = ANY(:owners)"
        params = {**(params or {}), "owners": [int(i) for i in ids]}
    cols = _columns(session, sql, ("owner",) + names, "q.owner", params)
    owner = cols["owner"].astype(np.int64)
    keep = _keep(owner, ids)
    out = {name: cols[name][keep] for name in names}
    out["indptr"] = _indptr(owner[keep], ids)
    return out


def _cases(codes: dict[str, int]) -> str:
    """The WHEN arms of a CASE turning a vocabulary's words into the core's codes."""
    return " ".join(f"WHEN '{word}' THEN {code}" for word, code in codes.items())


DAYS = "(coalesce({col}, DATE '5000-01-01') - DATE '1970-01-01')"
# Proposals made by hand and not yet decided are kept like approved ones: they hold their need's
# position and their offer's capacity, so a run neither replaces them nor books their expert twice.
MANUAL_PROPOSED = "(status = 'proposed' AND run_id IS NULL)"


def _need_scope(scope: dict) -> tuple[list[str], dict]:
    """The WHERE terms (over needs n) and parameters of a run's scope."""
    where = ["n.status = ANY(:statuses)"]
    params: dict = {"statuses": list(MATCHABLE_NEED_STATUSES), "fixed": list(FIXED_PROPOSAL_STATUSES)}
    if scope.get("need_ids"):
        where.append("n.id = ANY(:need_ids)")
        params["need_ids"] = list(scope["need_ids"])
    if scope.get("cluster"):
        where.append("n.area_code IN (SELECT code FROM areas WHERE cluster_code = :cluster)")
        params["cluster"] = scope["cluster"]
    if scope.get("area"):
        where.append("n.area_code = :area")
        params["area"] = scope["area"]
    if scope.get("country"):
        where.append("n.duty_country_iso3 = :country")
        params["country"] = scope["country"]
    return where, params


def count_manual_kept(session: Session, *, scope: dict) -> int:
    """Proposals made by hand, not yet decided, on the needs of a run's scope: the run keeps them."""
    where, params = _need_scope(scope)
    return session.scalar(sa.text(
        f"SELECT count(*) FROM proposals p JOIN needs n ON n.id = p.need_id "
        f"WHERE p.status = 'proposed' AND p.run_id IS NULL AND {' AND '.join(where)}"
    ), params) or 0


def load_needs(session: Session, book: Codebook, *, scope: dict, keep_full: bool = False) -> tuple[NeedArrays, int]:
    """Open needs with positions left after the proposals a new run must keep (`keep_full`: those
    without any too, so one need's rules can be read whatever its proposals)."""
    where, params = _need_scope(scope)
    names = ("id", "area", "slots", "start_by", "duration", "min_years", "urgency", "requester_country",
             "duty", "modality", "kinds_mask", "exclude_duty", "gender_target")
    kind_bits = " + ".join(
        f"(CASE WHEN '{k}' = ANY(n.allowed_provider_kinds) THEN {1 << i} ELSE 0 END)"
        for k, i in PROVIDER_KIND.items()
    )
    urgency = "CASE n.urgency " + _cases(URGENCY) + " END"
    modality = "CASE n.modality " + _cases(MODALITY) + " END"
    cols = _columns(
        session,
        f"""
        SELECT n.id, n.area_code AS area, n.positions - coalesce(f.fixed, 0) AS slots,
               {DAYS.format(col='n.start_by')} AS start_by, n.duration_months * 30 AS duration,
               n.min_years_experience AS min_years, {urgency} AS urgency,
               coalesce(o.country_iso3, '') AS requester_country, n.duty_country_iso3 AS duty,
               {modality} AS modality, {kind_bits} AS kinds_mask, n.exclude_duty_nationals AS exclude_duty,
               coalesce(n.gender_target, -1)::float8 AS gender_target
        FROM needs n
        JOIN organizations o ON o.id = n.requester_org_id
        LEFT JOIN (SELECT need_id, count(*) AS fixed FROM proposals
                   WHERE status = ANY(:fixed) OR {MANUAL_PROPOSED} GROUP BY need_id) f ON f.need_id = n.id
        WHERE {' AND '.join(where)}{'' if keep_full else ' AND n.positions - coalesce(f.fixed, 0) > 0'}
        """,
        names, "q.id", params,
    )
    ids = cols["id"].astype(np.int64)
    fixed_total = session.scalar(
        sa.text(f"SELECT count(*) FROM proposals WHERE status = ANY(:fixed) OR {MANUAL_PROPOSED}"), params
    ) or 0
    langs = _child(session, "SELECT need_id AS owner, language_code AS lang, min_level AS level "
                   "FROM need_languages", ("lang", "level"), ids)
    skills = _child(session, "SELECT id AS owner, unnest(skills) AS skill FROM needs "
                    "WHERE status = ANY(:statuses)", ("skill",), ids, params)
    excluded = _child(session, "SELECT need_id AS owner, offer_id FROM proposals "
                      "WHERE status IN ('rejected', 'declined')", ("offer_id",), ids)
    duty = dense_codes(cols["duty"], book.countries)
    # Eligibility: the member countries of any of the groupings the need names (their union), per need.
    # A grouping with no members on file gives one blank country, -1, which matches nobody: a need
    # whose groupings have none still excludes everyone.
    eligible = _child(session, "SELECT DISTINCT g.need_id AS owner, coalesce(m.country_iso3, '') AS country "
                      "FROM need_eligible_groupings g "
                      "LEFT JOIN memberships m ON m.organization_id = g.organization_id", ("country",), ids)
    eligible_indptr = eligible["indptr"]
    eligible_values = dense_codes(eligible["country"], book.countries)
    local = _columns(session, "SELECT country_iso3 AS country, language_code AS lang FROM country_languages",
                     ("country", "lang"), "q.country, q.lang")
    local_country = dense_codes(local["country"], book.countries)
    local_lang = dense_codes(local["lang"], book.languages)
    order = np.argsort(local_country, kind="stable")
    local_country, local_lang = local_country[order], local_lang[order]
    lo = np.searchsorted(local_country, duty, side="left")
    hi = np.searchsorted(local_country, duty, side="right")
    local_indptr = np.zeros(len(ids) + 1, dtype=np.int64)
    np.cumsum(hi - lo, out=local_indptr[1:])
    local_values = (np.concatenate([local_lang[a:b] for a, b in zip(lo, hi)]).astype(np.int32)
                    if len(ids) else np.zeros(0, dtype=np.int32))
    requester_country = dense_codes(cols["requester_country"], book.countries)
    gender_target = cols["gender_target"].astype(np.float32) if len(ids) else np.zeros(0, dtype=np.float32)
    needs = NeedArrays(
        need_id=ids,
        area=dense_codes(cols["area"], book.areas),
        slots=cols["slots"].astype(np.int32),
        start_by=cols["start_by"].astype(np.int32),
        duration_days=cols["duration"].astype(np.int32),
        min_years=cols["min_years"].astype(np.int16),
        urgency=cols["urgency"].astype(np.int8),
        requester_country=requester_country,
        # A requester without a home country of its own (a regional mission) counts by its duty station.
        requester_south=book.country_south[np.where(requester_country >= 0, requester_country, duty)]
        if len(ids) else np.zeros(0, dtype=bool),
        duty_country=duty,
        duty_region=book.country_region[duty] if len(ids) else np.zeros(0, dtype=np.int16),
        duty_subregion=book.country_subregion[duty] if len(ids) else np.zeros(0, dtype=np.int16),
        modality=cols["modality"].astype(np.int8),
        allowed_kinds_mask=cols["kinds_mask"].astype(np.int16),
        exclude_duty_nationals=cols["exclude_duty"].astype(bool),
        gender_target=np.where(gender_target < 0, np.nan, gender_target).astype(np.float32),
        eligible_countries=(eligible_indptr, eligible_values),
        languages=(langs["indptr"], dense_codes(langs["lang"], book.languages), langs["level"].astype(np.int8)),
        skills=(skills["indptr"], skill_codes(book, skills["skill"])),
        excluded_offers=(excluded["indptr"], excluded["offer_id"].astype(np.int64)),  # ids; mapped later
        local_languages=(local_indptr, local_values),
    )
    return needs, int(fixed_total)


def load_offers(session: Session, book: Codebook, *, offer_ids: list[int] | None = None) -> OfferArrays:
    """Offers that still have capacity once the proposals a run must keep are counted; or the
    offers `offer_ids` names, withdrawn ones apart, capacity left or not."""
    names = ("id", "capacity_left", "available_from", "available_until", "lead_time", "max_duration",
             "nationality", "provider_country", "provider_kind", "provider_org", "gender", "years", "cost",
             "credentials_until", "kind", "appraisal")
    gender = "CASE f.gender " + _cases(GENDER) + " ELSE 0 END"
    org_kind = "CASE o.kind " + _cases(PROVIDER_KIND) + " END"
    offer_kind = "CASE f.kind " + _cases(OFFER_KIND) + " END"
    which = ("f.id = ANY(:offer_ids) AND f.status <> 'withdrawn'" if offer_ids is not None
             else "f.status IN ('available', 'reserved') AND f.capacity - coalesce(r.held, 0) > 0")
    cols = _columns(
        session,
        f"""
        SELECT f.id, f.capacity - coalesce(r.held, 0) AS capacity_left,
               {DAYS.format(col='f.available_from')} AS available_from,
               {DAYS.format(col='f.available_until')} AS available_until,
               f.lead_time_days AS lead_time, f.max_duration_months * 30 AS max_duration,
               coalesce(f.nationality_iso3, '') AS nationality, coalesce(o.country_iso3, '') AS provider_country,
               {org_kind} AS provider_kind, o.id AS provider_org, {gender} AS gender,
               f.years_experience AS years, coalesce(f.monthly_cost_usd, -1)::float8 AS cost,
               {DAYS.format(col='least(f.screening_valid_until, f.credentials_valid_until)')} AS credentials_until,
               {offer_kind} AS kind, coalesce(a.mean_appraisal, 0)::float8 AS appraisal
        FROM offers f
        JOIN organizations o ON o.id = f.provider_org_id
        LEFT JOIN (SELECT offer_id, count(*) AS held FROM proposals
                   WHERE status = ANY(:held) OR {MANUAL_PROPOSED} GROUP BY offer_id) r ON r.offer_id = f.id
        LEFT JOIN (SELECT offer_id, avg(appraisal) AS mean_appraisal FROM past_deployments
                   WHERE appraisal IS NOT NULL GROUP BY offer_id) a ON a.offer_id = f.id
        WHERE {which}
        """,
        names, "q.id", {"held": list(RESERVING_PROPOSAL_STATUSES), "offer_ids": offer_ids or []},
    )
    ids = cols["id"].astype(np.int64)
    areas = _child(session, "SELECT offer_id AS owner, area_code AS area FROM offer_areas", ("area",), ids)
    langs = _child(session, "SELECT offer_id AS owner, language_code AS lang, level FROM offer_languages",
                   ("lang", "level"), ids)
    skills = _child(session, "SELECT id AS owner, unnest(skills) AS skill FROM offers "
                    "WHERE status <> 'withdrawn'", ("skill",), ids)
    nationality = dense_codes(cols["nationality"], book.countries)
    provider_country = dense_codes(cols["provider_country"], book.countries)
    # Where the expertise comes from: the expert's nationality, else the provider's home country.
    origin = np.where(nationality >= 0, nationality, provider_country)
    has_origin = origin >= 0
    safe = np.where(has_origin, origin, 0)
    cost = cols["cost"].astype(np.float32) if len(ids) else np.zeros(0, dtype=np.float32)
    appraisal = cols["appraisal"].astype(np.float32) if len(ids) else np.zeros(0, dtype=np.float32)
    return OfferArrays(
        offer_id=ids,
        areas=(areas["indptr"], dense_codes(areas["area"], book.areas)),
        capacity=cols["capacity_left"].astype(np.int32),
        available_from=cols["available_from"].astype(np.int32),
        available_until=cols["available_until"].astype(np.int32),
        lead_time_days=cols["lead_time"].astype(np.int16),
        max_duration_days=cols["max_duration"].astype(np.int32),
        nationality=nationality,
        provider_country=provider_country,
        provider_south=has_origin & book.country_south[safe] if len(ids) else np.zeros(0, dtype=bool),
        provider_region=np.where(has_origin, book.country_region[safe], -1).astype(np.int16)
        if len(ids) else np.zeros(0, dtype=np.int16),
        provider_subregion=np.where(has_origin, book.country_subregion[safe], -1).astype(np.int16)
        if len(ids) else np.zeros(0, dtype=np.int16),
        provider_kind=cols["provider_kind"].astype(np.int8),
        provider_org=cols["provider_org"].astype(np.int32),
        gender=cols["gender"].astype(np.int8),
        years=cols["years"].astype(np.int16),
        languages=(langs["indptr"], dense_codes(langs["lang"], book.languages), langs["level"].astype(np.int8)),
        skills=(skills["indptr"], skill_codes(book, skills["skill"])),
        monthly_cost=np.where(cost < 0, np.nan, cost).astype(np.float32),
        # Appraisals run 1..5; the core wants [0, 1], NaN where there is none.
        appraisal=np.where(appraisal <= 0, np.nan, (appraisal - 1.0) / 4.0).astype(np.float32),
        credentials_until=np.minimum(cols["credentials_until"], 2**31 - 1).astype(np.int32),
        kind=cols["kind"].astype(np.int8),
    )


def fingerprint(needs: NeedArrays, offers: OfferArrays) -> str:
    """SHA-256 over every input array: two runs on the same input share the hash."""
    digest = hashlib.sha256()
    for arrays in (needs, offers):
        for name in sorted(vars(arrays)):
            value = getattr(arrays, name)
            parts = value if isinstance(value, tuple) else (value,)
            for part in parts:
                digest.update(name.encode())
                digest.update(np.ascontiguousarray(part).tobytes())
    return digest.hexdigest()
