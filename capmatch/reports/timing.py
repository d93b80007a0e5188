"""How fast needs are answered: from publication to the first proposal, to agreement and to deployment
against the secretariat's target; and how long each side takes to answer a step, and how many expire.

Durations are in days; medians and 90th percentiles interpolate (PostgreSQL's percentile_cont).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.reports.filters import ReportFilters, days, with_needs

MILESTONES = ("first_proposal", "agreement", "deployment")
RESPONDERS = ("officer", "requester", "provider")


@dataclass(frozen=True)
class Milestone:
    name: str
    reached: int  # needs that got there
    median_days: float | None
    p90_days: float | None
    within_target: int  # needs that got there within the target


@dataclass(frozen=True)
class TimeToMatch:
    target_days: int
    needs: int
    milestones: list[Milestone]


@dataclass(frozen=True)
class Response:
    party: str
    answered: int
    median_days: float | None
    p90_days: float | None


@dataclass(frozen=True)
class Expired:
    waiting_on: str  # "both" (neither side had answered), "requester" or "provider"
    steps: int


@dataclass(frozen=True)
class WorkflowTimes:
    responses: list[Response]
    approved: int  # proposals an officer approved, each starting the two sides' steps
    expired: list[Expired]
    expired_total: int


def _stats(column: str) -> str:
    return (f"count({column}), percentile_cont(0.5) WITHIN GROUP (ORDER BY {column}), "
            f"percentile_cont(0.9) WITHIN GROUP (ORDER BY {column})")


def _elapsed(later: str, earlier: str) -> str:
    # GREATEST skips NULLs: a need never answered must stay NULL, not become 0 days.
    return f"CASE WHEN {later} IS NOT NULL THEN greatest(0, extract(epoch FROM ({later} - {earlier})) / 86400.0) END"


def time_to_match(session: Session, *, filters: ReportFilters, target_days: int) -> TimeToMatch:
    sql, params = with_needs(filters, f"""
        , ev AS (
            SELECT p.need_id, min(e.occurred_at) FILTER (WHERE e.to_state = 'agreed') AS agreed,
                   min(e.occurred_at) FILTER (WHERE e.to_state = 'deployed') AS deployed
            FROM audit_events e JOIN proposals p ON p.id = e.entity_id
            WHERE e.entity_type = 'proposal' AND e.to_state IN ('agreed', 'deployed')
              AND p.need_id IN (SELECT id FROM rn)
            GROUP BY p.need_id
        ), fp AS (
            SELECT need_id, min(created_at) AS at FROM proposals WHERE need_id IN (SELECT id FROM rn) GROUP BY need_id
        ), m AS (
            SELECT {_elapsed('fp.at', 'rn.published_at')} AS first_proposal,
                   {_elapsed('ev.agreed', 'rn.published_at')} AS agreement,
                   {_elapsed('ev.deployed', 'rn.published_at')} AS deployment
            FROM rn LEFT JOIN fp ON fp.need_id = rn.id LEFT JOIN ev ON ev.need_id = rn.id
        )
        SELECT count(*), {', '.join(_stats(m) + f', count(*) FILTER (WHERE {m} <= :target)' for m in MILESTONES)}
        FROM m
    """, {"target": target_days}, published=True)
    row = session.execute(sa.text(sql), params).one()
    milestones = [Milestone(name, int(row[1 + 4 * k]), days(row[2 + 4 * k]), days(row[3 + 4 * k]), int(row[4 + 4 * k]))
                  for k, name in enumerate(MILESTONES)]
    return TimeToMatch(target_days, int(row[0]), milestones)


def workflow_times(session: Session, *, filters: ReportFilters) -> WorkflowTimes:
    sql, params = with_needs(filters, f"""
        , ev AS (
            SELECT p.id, p.created_at, e.action, e.from_state, e.occurred_at
            FROM audit_events e JOIN proposals p ON p.id = e.entity_id
            WHERE e.entity_type = 'proposal' AND p.need_id IN (SELECT id FROM rn)
              AND e.action IN ('approve', 'reject', 'accept', 'decline_by_requester', 'confirm',
                               'decline_by_provider', 'expire')
        ), per AS (
            SELECT id, min(created_at) AS created_at,
                   min(occurred_at) FILTER (WHERE action IN ('approve', 'reject')) AS decided,
                   min(occurred_at) FILTER (WHERE action = 'approve') AS approved,
                   min(occurred_at) FILTER (WHERE action IN ('accept', 'decline_by_requester')) AS requester,
                   min(occurred_at) FILTER (WHERE action IN ('confirm', 'decline_by_provider')) AS provider,
                   count(*) FILTER (WHERE action = 'expire' AND from_state = 'approved') AS expired_both,
                   count(*) FILTER (WHERE action = 'expire' AND from_state = 'confirmed') AS expired_requester,
                   count(*) FILTER (WHERE action = 'expire' AND from_state = 'accepted') AS expired_provider
            FROM ev GROUP BY id
        ), t AS (
            SELECT {_elapsed('decided', 'created_at')} AS officer, {_elapsed('requester', 'approved')} AS requester,
                   {_elapsed('provider', 'approved')} AS provider, approved, expired_both, expired_requester,
                   expired_provider
            FROM per
        )
        SELECT {', '.join(_stats(r) for r in RESPONDERS)}, count(approved),
               coalesce(sum(expired_both), 0), coalesce(sum(expired_requester), 0), coalesce(sum(expired_provider), 0)
        FROM t
    """)
    row = session.execute(sa.text(sql), params).one()
    responses = [Response(party, int(row[3 * k]), days(row[3 * k + 1]), days(row[3 * k + 2]))
                 for k, party in enumerate(RESPONDERS)]
    expired = [Expired(w, int(row[10 + k])) for k, w in enumerate(("both", "requester", "provider"))]
    return WorkflowTimes(responses, int(row[9]), expired, sum(e.steps for e in expired))
