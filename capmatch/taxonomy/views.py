"""The administrator's taxonomy pages: clusters and areas with their use, countries, languages, renaming an area."""

from __future__ import annotations

from fastapi import APIRouter, Request

from capmatch.pagination import PageRequest
from capmatch.taxonomy import admin
from capmatch.web.deps import DbSession, PageNumber
from capmatch.web.forms import Form, FormErrors, save, text
from capmatch.web.listing import Text
from capmatch.web.session import CurrentAdmin as Admin
from capmatch.web.session import flash
from capmatch.web.links import redirect_to
from capmatch.web.templating import render

router = APIRouter(prefix="/admin", include_in_schema=False)

PAGE_SIZE = 50


@router.get("/taxonomies")
def taxonomies(request: Request, session: DbSession, actor: Admin):
    return render(request, "taxonomy/index.html", {"overview": admin.taxonomy_overview(session, actor=actor)})


@router.get("/taxonomies/countries")
def countries(request: Request, session: DbSession, actor: Admin, q: Text = "", page: PageNumber = 1):
    rows, total = admin.list_countries_admin(session, actor=actor, q=q or None,
                                               page=PageRequest(page=page, page_size=PAGE_SIZE))
    return render(request, "taxonomy/countries.html", {
        "rows": rows, "total": total, "q": q, "page": page, "page_size": PAGE_SIZE, "query": f"q={q}" if q else "",
    })


@router.get("/taxonomies/languages")
def languages(request: Request, session: DbSession, actor: Admin, q: Text = "", page: PageNumber = 1):
    rows, total = admin.list_languages_admin(session, actor=actor, q=q or None,
                                               page=PageRequest(page=page, page_size=PAGE_SIZE))
    return render(request, "taxonomy/languages.html", {
        "rows": rows, "total": total, "q": q, "page": page, "page_size": PAGE_SIZE, "query": f"q={q}" if q else "",
    })


@router.api_route("/taxonomies/areas/{code}/edit", methods=["GET", "POST"])
def area_edit(code: str, request: Request, session: DbSession, actor: Admin, form: Form):
    area = admin.get_area(session, actor=actor, code=code)
    if request.method == "GET":
        values = {"name": area.name, "name_fr": area.name_fr}
        return render(request, "taxonomy/area_form.html", {"area": area, "values": values, "errors": FormErrors()})
    values = {"name": text(form, "name"), "name_fr": text(form, "name_fr")}
    errors = FormErrors()
    saved = save(session, errors, None, lambda: admin.rename_area(session, actor=actor, code=code, **values))
    if saved is None:
        return render(request, "taxonomy/area_form.html", {"area": area, "values": values, "errors": errors},
                      status_code=400)
    flash(request, f"The area {code} is now called {saved.name}.")
    return redirect_to(request, "taxonomies")
