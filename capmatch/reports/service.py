"""The reports' catalog, the secretariat's time target, and running a report by name.

Every report reads; only the target is written, by an officer or administrator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from capmatch.audit.service import record
from capmatch.auth.actor import Actor, require_role
from capmatch.errors import InvalidInput, NotFound
from capmatch.i18n import _, lazy_gettext
from capmatch.reports.cooperation import contributors, gender_share, south_south
from capmatch.reports.fill_rate import fill_rate
from capmatch.reports.filters import ReportFilters
from capmatch.reports.gaps import gap_analysis
from capmatch.reports.models import DEFAULT_TARGET_DAYS, ReportSettings
from capmatch.reports.priorities import recruitment
from capmatch.reports.timing import time_to_match, workflow_times

SECRETARIAT = ("officer", "admin")
MAX_TARGET_DAYS = 365


@dataclass(frozen=True)
class Report:
    name: str
    title: Any  # lazy: read in the language in use
    description: Any
    compute: Callable[..., Any]


REPORTS: dict[str, Report] = {r.name: r for r in (
    Report("fill-rate", lazy_gettext("Fill rate"),
           lazy_gettext("Positions filled over positions posted, by cluster, area, mission and duty country."),
           lambda s, f, t, today: fill_rate(s, filters=f)),
    Report("time-to-match", lazy_gettext("Time to match"),
           lazy_gettext("Days from a need's publication to its first proposal, to agreement and to deployment: "
                        "median, 90th percentile, and how many needs met the secretariat's target."),
           lambda s, f, t, today: time_to_match(s, filters=f, target_days=t)),
    Report("south-south", lazy_gettext("South-South cooperation"),
           lazy_gettext("The share of filled positions where both the requester and the expert are from the Global "
                        "South, by month."), lambda s, f, t, today: south_south(s, filters=f)),
    Report("gender", lazy_gettext("Women's share"),
           lazy_gettext("Women among the experts proposed, agreed and deployed, against the needs' gender-balance "
                        "targets."),
           lambda s, f, t, today: gender_share(s, filters=f)),
    Report("contributors", lazy_gettext("Contributor base"),
           lazy_gettext("Provider countries and organizations, new contributors this year, the Global South's share "
                        "and the five largest providers' share."),
           lambda s, f, t, today: contributors(s, filters=f, today=today)),
    Report("workflow", lazy_gettext("Workflow response times"),
           lazy_gettext("How long officers, requesters and providers take to answer a step, and how many steps "
                        "expire."),
           lambda s, f, t, today: workflow_times(s, filters=f)),
    Report("gaps", lazy_gettext("Gap analysis"),
           lazy_gettext("Positions the latest match run left unfilled, by area, language, level, experience and "
                        "duty region, with the reasons most often given."),
           lambda s, f, t, today: gap_analysis(s, filters=f)),
    Report("priorities", lazy_gettext("Recruitment priorities"),
           lazy_gettext("The expert profiles that, added to the rosters, would fill the most unfilled positions, "
                        "and which needs they would fill."),
           lambda s, f, t, today: recruitment(s, filters=f, today=today)),
)}


def catalog(*, actor: Actor | None) -> list[dict[str, str]]:
    require_role(actor, *SECRETARIAT)
    return [{"name": r.name, "title": str(r.title), "description": str(r.description)} for r in REPORTS.values()]


def target_days(session: Session) -> int:
    value = session.scalar(sa.select(ReportSettings.target_days).where(ReportSettings.id == 1))
    return DEFAULT_TARGET_DAYS if value is None else int(value)


def set_target_days(session: Session, *, actor: Actor | None, days: int) -> int:
    actor = require_role(actor, *SECRETARIAT)
    if not 1 <= days <= MAX_TARGET_DAYS:
        raise InvalidInput(_("Enter a number of days from {low} to {high}.", low=1, high=MAX_TARGET_DAYS),
                           field="target_days")
    before = target_days(session)
    session.execute(insert(ReportSettings).values(id=1, target_days=days, updated_by_id=actor.db_user_id)
                    .on_conflict_do_update(index_elements=["id"], set_={
                        "target_days": days, "updated_by_id": actor.db_user_id, "updated_at": sa.func.now()}))
    record(session, actor=actor, entity_type="report_settings", entity_id=1, action="set_target",
           data={"target_days": days, "before": before})
    return days


def report_named(name: str) -> Report:
    report = REPORTS.get(name)
    if report is None:
        raise NotFound(_("There is no report named '{name}'.", name=name))
    return report


def run_report(session: Session, *, actor: Actor | None, name: str, filters: ReportFilters,
               today: date | None = None) -> Any:
    require_role(actor, *SECRETARIAT)
    return report_named(name).compute(session, filters, target_days(session), today or date.today())


def run_all(session: Session, *, actor: Actor | None, filters: ReportFilters,
            today: date | None = None) -> dict[str, Any]:
    return {name: run_report(session, actor=actor, name=name, filters=filters, today=today) for name in REPORTS}


def as_json(name: str, filters: ReportFilters, figures: Any) -> dict[str, Any]:
    report = REPORTS[name]
    return {"name": name, "title": str(report.title), "filters": filters.as_json(), "figures": asdict(figures)}
