"""The administrator's taxonomy pages: clusters and areas with their use, countries, languages, renaming an area,
and the skills vocabulary (add, rename, retire, restore)."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request

from capmatch.i18n import N_, _
from capmatch.pagination import PageRequest
from capmatch.taxonomy import admin, skill_admin
from capmatch.taxonomy.names import in_language
from capmatch.taxonomy.service import clear_choices_cache, reference_choices
from capmatch.web.deps import DbSession, PageNumber
from capmatch.web.forms import Form, FormErrors, chosen, save, text
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
    return _reference_list(request, "taxonomy/countries.html", admin.list_countries_admin(
        session, actor=actor, q=q or None, page=PageRequest(page=page, page_size=PAGE_SIZE)), q, page)


@router.get("/taxonomies/languages")
def languages(request: Request, session: DbSession, actor: Admin, q: Text = "", page: PageNumber = 1):
    return _reference_list(request, "taxonomy/languages.html", admin.list_languages_admin(
        session, actor=actor, q=q or None, page=PageRequest(page=page, page_size=PAGE_SIZE)), q, page)


def _reference_list(request: Request, template: str, found: tuple[list, int], q: str, page: int):
    rows, total = found
    return render(request, template, {"rows": rows, "total": total, "q": q, "page": page, "page_size": PAGE_SIZE,
                                      "query": urlencode({"q": q}) if q else ""})


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
    flash(request, _("The area {code} is now called {name}.", code=code, name=in_language(saved.name, saved.name_fr)))
    return redirect_to(request, "taxonomies")


# --- the skills vocabulary -----------------------------------------------------------------------


@router.get("/taxonomies/skills")
def skills(request: Request, session: DbSession, actor: Admin):
    return render(request, "taxonomy/skills.html", {"areas": skill_admin.skills_overview(session, actor=actor)})


@router.api_route("/taxonomies/skills/new", methods=["GET", "POST"])
def skill_new(request: Request, session: DbSession, actor: Admin, form: Form):
    page = {"skill": None, "choices": reference_choices(session), "errors": FormErrors()}
    if request.method == "GET":
        return render(request, "taxonomy/skill_form.html", {**page, "values": {"areas": []}})
    values = {"code": text(form, "code"), "name": text(form, "name"), "name_fr": text(form, "name_fr"),
              "areas": chosen(form, "areas")}
    return _save_skill(request, session, page, values, lambda: skill_admin.add_skill(session, actor=actor, **values),
                       lambda saved: _("The skill {name} ({code}) is added.",
                                       name=in_language(saved.name, saved.name_fr), code=saved.code))


@router.api_route("/taxonomies/skills/{skill}/edit", methods=["GET", "POST"])
def skill_edit(skill: str, request: Request, session: DbSession, actor: Admin, form: Form):
    found = skill_admin.get_skill(session, actor=actor, code=skill)
    page = {"skill": found, "areas": skill_admin.skill_areas(session, actor=actor, code=skill)}
    if request.method == "GET":
        values = {"name": found.name, "name_fr": found.name_fr or ""}
        return render(request, "taxonomy/skill_form.html", {**page, "values": values, "errors": FormErrors()})
    values = {"name": text(form, "name"), "name_fr": text(form, "name_fr")}
    return _save_skill(request, session, page, values,
                       lambda: skill_admin.rename_skill(session, actor=actor, code=skill, **values),
                       lambda saved: _("The skill {code} is now called {name}.", code=skill,
                                       name=in_language(saved.name, saved.name_fr)))


def _save_skill(request: Request, session, page: dict, values: dict, call, done):
    """The form's change made, or the form shown again with its errors (400)."""
    errors = FormErrors()
    saved = save(session, errors, set(values), call)
    if saved is None:
        return render(request, "taxonomy/skill_form.html", {**page, "values": values, "errors": errors},
                      status_code=400)
    clear_choices_cache()  # the forms' skill lists, in this process at once (elsewhere within the cache's TTL)
    flash(request, done(saved))
    return redirect_to(request, "skills")


@router.post("/taxonomies/skills/{skill}/retire")
def skill_retire(skill: str, request: Request, session: DbSession, actor: Admin):
    return _retire_or_restore(request, session, actor, skill, skill_admin.retire_skill,
                              N_("The skill {name} is retired."))


@router.post("/taxonomies/skills/{skill}/restore")
def skill_restore(skill: str, request: Request, session: DbSession, actor: Admin):
    return _retire_or_restore(request, session, actor, skill, skill_admin.restore_skill,
                              N_("The skill {name} is in use again."))


def _retire_or_restore(request: Request, session, actor, skill: str, change, done: str):
    found = skill_admin.get_skill(session, actor=actor, code=skill)
    errors = FormErrors()
    if save(session, errors, set(), lambda: change(session, actor=actor, code=skill)) is None:
        # Already so (a second click): said on the skill's page, with 409.
        return render(request, "taxonomy/skill_form.html", {
            "skill": found, "areas": skill_admin.skill_areas(session, actor=actor, code=skill),
            "values": {"name": found.name, "name_fr": found.name_fr or ""}, "errors": errors,
        }, status_code=409)
    clear_choices_cache()  # as in _save_skill
    flash(request, _(done, name=in_language(found.name, found.name_fr)))
    return redirect_to(request, "skills")
