"""JSON API for the reports (officers and administrators): the catalog, and each report's figures
under the same filters as the page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from capmatch.auth.actor import require_role
from capmatch.errors import InvalidInput
from capmatch.i18n import DEFAULT, use
from capmatch.reports import forms, queries, service
from capmatch.taxonomy.service import reference_choices
from capmatch.web.deps import DbSession, MaybeActor

router = APIRouter()

Filter = Annotated[str, Query(max_length=100)]
DateFilter = Annotated[str, Query(max_length=10, description="YYYY-MM-DD: needs published on or after (from) or "
                                                             "on or before (to) this day")]


@router.get("")
def list_reports(actor: MaybeActor) -> list[dict[str, str]]:
    """The reports: name (the path of its figures), title and description."""
    return service.catalog(actor=actor)


@router.get("/{report}")
def get_report(
    session: DbSession, actor: MaybeActor, report: Annotated[str, Path(max_length=40)],
    date_from: DateFilter = "", date_to: DateFilter = "",
    cluster: Annotated[str, Query(max_length=40, description="a cluster's code")] = "",
    area: Annotated[str, Query(max_length=40, description="a capacity area's code")] = "",
    requester: Annotated[str, Query(max_length=12, description="a requesting organization's id")] = "",
    region: Annotated[str, Query(max_length=40, description="the duty station's UN M49 region")] = "",
) -> dict[str, Any]:
    """One report's figures for the needs the filters select (see GET /api/v1/reports for the names)."""
    require_role(actor, *service.SECRETARIAT)  # who may ask is settled before what is asked
    raw = {"date_from": date_from, "date_to": date_to, "cluster": cluster, "area": area, "requester": requester,
           "region": region}
    filters, _, errors = forms.read_filters(raw, reference_choices(session), queries.report_choices(session))
    if errors:  # every bad filter is named, as the page does
        (field, message), *more = errors.items()
        raise InvalidInput(message, field=field, more=tuple(InvalidInput(m, field=f) for f, m in more))
    service.report_named(report)  # an unknown name is told in the language asked, before the figures
    with use(DEFAULT):  # the figures are data: their names in English whatever the language, as exports are
        figures = service.run_report(session, actor=actor, name=report, filters=filters)
    return service.as_json(report, filters, figures)
