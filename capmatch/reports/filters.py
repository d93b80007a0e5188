"""The needs a report is about: published in the period, of a cluster or area, a requesting organization,
a duty region; and the SQL every report starts from.

A need counts once it is published (not a draft) and until it is cancelled: a closed need was posted
and stays in its figures. Its publication is the first time it was open (the audit trail), else its
creation (needs loaded in bulk, or created open).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from capmatch.enums import FIXED_PROPOSAL_STATUSES

REPORTED_STATUSES = ("open", "partially_filled", "filled", "closed")


@dataclass(frozen=True)
class ReportFilters:
    date_from: date | None = None  # publication on or after
    date_to: date | None = None  # publication on or before
    cluster: str | None = None
    area: str | None = None
    requester: int | None = None  # requesting organization's id
    region: str | None = None  # the duty station's UN M49 region

    def as_json(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self).items()}


# The filters that keep the needs whose column equals the value given: (the filter, its condition).
_EQUALITY_FILTERS = (
    ("cluster", "a.cluster_code = :cluster"),
    ("area", "n.area_code = :area"),
    ("requester", "n.requester_org_id = :requester"),
    ("region", "dc.region = :region"),
)


def needs_sql(filters: ReportFilters, *, published: bool = False) -> tuple[str, dict[str, Any]]:
    """A SELECT of the reported needs (one row each) and its parameters, to use as a CTE named rn.

    Columns: id, positions, filled (positions held by approved-or-later proposals, at most the
    positions), area_code, cluster_code, requester_org_id, duty_country_iso3, region, gender_target,
    published_at, requester_south (the requester's country, else the duty station's, is in the South).
    The publication is looked up in the audit trail only where a report or the period needs it
    (`published`, or a date filter); elsewhere published_at is NULL.
    """
    published = published or filters.date_from is not None or filters.date_to is not None
    where = ["n.status = ANY(:reported)"]
    params: dict[str, Any] = {"reported": list(REPORTED_STATUSES), "fixed": list(FIXED_PROPOSAL_STATUSES)}
    for name, condition in _EQUALITY_FILTERS:
        if value := getattr(filters, name):
            where.append(condition)
            params[name] = value
    if filters.date_from:
        where.append("coalesce(pub.at, n.created_at) >= :date_from")
        params["date_from"] = filters.date_from
    if filters.date_to:
        where.append("coalesce(pub.at, n.created_at) < :date_after")
        params["date_after"] = filters.date_to + timedelta(days=1)
    sql = f"""
        SELECT n.id, n.positions, least(coalesce(h.held, 0), n.positions) AS filled, n.area_code, a.cluster_code,
               n.requester_org_id, n.duty_country_iso3, dc.region, n.gender_target,
               {"coalesce(pub.at, n.created_at)" if published else "NULL::timestamptz"} AS published_at,
               coalesce(rc.global_south, dc.global_south) AS requester_south
        FROM needs n
        JOIN areas a ON a.code = n.area_code
        JOIN countries dc ON dc.iso3 = n.duty_country_iso3
        JOIN organizations ro ON ro.id = n.requester_org_id
        LEFT JOIN countries rc ON rc.iso3 = ro.country_iso3
        {PUBLICATION_JOIN if published else ""}
        LEFT JOIN (
            SELECT need_id, count(*) AS held FROM proposals WHERE status = ANY(:fixed) GROUP BY need_id
        ) h ON h.need_id = n.id
        WHERE {' AND '.join(where)}
    """
    return sql, params


PUBLICATION_JOIN = """
        LEFT JOIN LATERAL (
            SELECT min(e.occurred_at) AS at FROM audit_events e
            WHERE e.entity_type = 'need' AND e.entity_id = n.id AND e.to_state = 'open'
        ) pub ON true
"""


def with_needs(filters: ReportFilters, body: str, extra: dict[str, Any] | None = None, *,
               published: bool = False) -> tuple[str, dict[str, Any]]:
    """`body` (which reads the CTE rn) preceded by the reported needs."""
    sql, params = needs_sql(filters, published=published)
    return f"WITH rn AS MATERIALIZED ({sql})\n{body}", {**params, **(extra or {})}


# Where an expert comes from: their nationality, else their provider's home country.
ORIGIN_SQL = "coalesce(f.nationality_iso3, po.country_iso3)"


def share(part: int, whole: int) -> float | None:
    """part / whole rounded to 4 places, or None when there is nothing to divide."""
    return round(part / whole, 4) if whole else None


def days(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


# The positions filled on the reported needs (proposals approved or later), with where each expert
# comes from and when the position was filled (the officer's approval, else the proposal's creation).
PLACEMENTS_CTE = f"""
    , pl AS (
        SELECT p.id, p.need_id, f.provider_org_id, {ORIGIN_SQL} AS origin, coalesce(oc.global_south, false) AS origin_south,
               coalesce(ap.at, p.created_at) AS filled_at, rn.requester_south
        FROM proposals p
        JOIN rn ON rn.id = p.need_id
        JOIN offers f ON f.id = p.offer_id
        JOIN organizations po ON po.id = f.provider_org_id
        LEFT JOIN countries oc ON oc.iso3 = {ORIGIN_SQL}
        LEFT JOIN LATERAL (
            SELECT min(e.occurred_at) AS at FROM audit_events e
            WHERE e.entity_type = 'proposal' AND e.entity_id = p.id AND e.action = 'approve'
        ) ap ON true
        WHERE p.status = ANY(:fixed)
    )
"""
