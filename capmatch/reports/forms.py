"""Reading the reports' filters (the page's GET form and the API's query string alike) and the target form."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from capmatch.i18n import N_, _
from capmatch.inputs import INT4_MAX
from capmatch.reports.filters import ReportFilters
from capmatch.reports.queries import ReportChoices
from capmatch.taxonomy.service import ReferenceChoices
from capmatch.web.forms import FormErrors

# ASCII digits only: str.isdigit() takes '²', which int() refuses.
DIGITS = re.compile(r"[0-9]{1,10}")
FILTER_FIELDS = ("date_from", "date_to", "cluster", "area", "requester", "region")


DATE_MESSAGES = {"date_from": N_("Enter the start of the period as a date (YYYY-MM-DD)."),
                 "date_to": N_("Enter the end of the period as a date (YYYY-MM-DD).")}


def _date(raw: str, field: str, errors: FormErrors) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors.add(field, _(DATE_MESSAGES[field]))
        return None


def read_filters(values: Mapping[str, str], reference: ReferenceChoices,
                 choices: ReportChoices) -> tuple[ReportFilters, dict[str, str], FormErrors]:
    """The filters, the values as given (to show them again) and the errors, each naming its field."""
    given = {name: (values.get(name) or "").strip() for name in FILTER_FIELDS}
    errors = FormErrors()
    date_from = _date(given["date_from"], "date_from", errors) if given["date_from"] else None
    date_to = _date(given["date_to"], "date_to", errors) if given["date_to"] else None
    if date_from and date_to and date_from > date_to:
        errors.add("date_to", _("The end of the period must be on or after its start."))
    cluster = given["cluster"] or None
    if cluster and cluster not in dict(reference.clusters):
        errors.add("cluster", _("Choose one of the clusters."))
    area = given["area"] or None
    if area and area not in reference.area_names:
        errors.add("area", _("Choose one of the capacity areas."))
    region = given["region"] or None
    if region and region not in choices.regions:
        errors.add("region", _("Choose one of the regions."))
    requester = None
    if given["requester"]:
        if not DIGITS.fullmatch(given["requester"]) or not 1 <= int(given["requester"]) <= INT4_MAX:
            errors.add("requester", _("Choose one of the requesting organizations."))
        elif int(given["requester"]) not in dict(choices.requesters):
            errors.add("requester", _("Choose one of the requesting organizations: none has this number."))
        else:
            requester = int(given["requester"])
    filters = ReportFilters(date_from=date_from, date_to=date_to, cluster=cluster, area=area,
                            requester=requester, region=region)
    return filters, given, errors


def read_target(raw: str | None) -> tuple[int | None, FormErrors]:
    errors = FormErrors()
    text = (raw or "").strip()
    if not DIGITS.fullmatch(text) or len(text) > 4:
        errors.add("target_days", _("Enter a whole number of days."))
        return None, errors
    return int(text), errors
