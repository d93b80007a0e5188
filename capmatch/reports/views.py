"""The home page, and the reports' pages (officers and administrators): every report, or one, under the
same filters, each chart with its data table; the secretariat's time target; the charts' stylesheet."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from capmatch.errors import CapmatchError
from capmatch.i18n import ngettext
from capmatch.reports import charts, forms, service
from capmatch.reports.drawings import charts_of
from capmatch.reports.queries import marketplace_summary, public_results, report_choices
from capmatch.taxonomy.names import region_name
from capmatch.taxonomy.service import reference_choices
from capmatch.web.deps import DbSession
from capmatch.web.forms import Form, FormErrors
from capmatch.web.labels import REPORT_WORDS
from capmatch.web.links import redirect_to
from capmatch.web.session import CurrentOfficer, flash
from capmatch.web.templating import render

router = APIRouter()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request, session: DbSession):
    return render(request, "reports/home.html", {"summary": marketplace_summary(session),
                                                 "results": public_results(session)})


@router.get("/healthz", include_in_schema=False)
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/reports/charts.css", include_in_schema=False)
def chart_stylesheet() -> Response:
    return Response(charts.stylesheet(), media_type="text/css", headers={"Cache-Control": "public, max-age=3600"})


def _page(request: Request, session, actor, names: list[str], *, target_errors: FormErrors | None = None,
          status_code: int = 200):
    reference, choices = reference_choices(session), report_choices(session)
    filters, given, errors = forms.read_filters(request.query_params, reference, choices)
    reports = []
    if not errors:
        today = date.today()
        for name in names:
            figures = service.run_report(session, actor=actor, name=name, filters=filters, today=today)
            reports.append((service.REPORTS[name], figures, charts_of(name, figures, REPORT_WORDS)))
    return render(request, "reports/index.html", {
        "reports": reports, "catalog": service.REPORTS, "params": given, "errors": errors,
        "reference": reference, "choices": choices,
        "region_options": [(r, region_name(r)) for r in choices.regions], "words": REPORT_WORDS, "one": len(names) == 1,
        "target_days": service.target_days(session), "target_errors": target_errors or FormErrors(),
        "query": request.url.query,
    }, status_code=400 if errors else status_code)


@router.get("/reports", include_in_schema=False)
def reports(request: Request, session: DbSession, actor: CurrentOfficer):
    return _page(request, session, actor, list(service.REPORTS))


@router.post("/reports/target", include_in_schema=False)
def set_target(request: Request, session: DbSession, actor: CurrentOfficer, form: Form):
    days, errors = forms.read_target(form.get("target_days") if isinstance(form.get("target_days"), str) else None)
    if not errors:
        try:
            service.set_target_days(session, actor=actor, days=days)
        except CapmatchError as exc:
            errors.add_domain_error(exc, {"target_days"})
    if errors:
        return _page(request, session, actor, ["time-to-match"], target_errors=errors, status_code=400)
    flash(request, ngettext("The time target is now {count} day.", "The time target is now {count} days.", days))
    return redirect_to(request, "reports")


@router.get("/reports/{report}", include_in_schema=False)
def one_report(report: str, request: Request, session: DbSession, actor: CurrentOfficer):
    service.report_named(report)
    return _page(request, session, actor, [report])

