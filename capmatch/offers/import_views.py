"""A provider's roster import (upload, preview, confirm) and export (CSV, XLSX, the example file).

The file is checked whole before anything is written: the preview lists every problem by row and
column, and the confirm writes all rows or none, once per file. Between the two the file travels sealed in the form.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from capmatch.errors import CapmatchError
from capmatch.i18n import _, ngettext
from capmatch.offers import export
from capmatch.offers import roster as service
from capmatch.offers.import_rows import COLUMNS, REQUIRED_COLUMNS
from capmatch.offers.views import OrgParam, RosterUser, carried_org
from capmatch.taxonomy.service import reference_choices
from capmatch.web import uploads
from capmatch.web.deps import DbSession
from capmatch.web.forms import Form, FormErrors
from capmatch.web.session import flash
from capmatch.web.links import redirect_to
from capmatch.web.templating import render

router = APIRouter(include_in_schema=False)


# --- import and export -------------------------------------------------------------------------


def _import_page(request: Request, session, organization, org_query: str, errors: FormErrors,
                 status_code: int = 200):
    return render(request, "offers/import.html", {
        "choices": reference_choices(session),
        "organization": organization, "org_query": org_query, "errors": errors, "columns": COLUMNS,
        "required": REQUIRED_COLUMNS, "max_mb": service.MAX_UPLOAD_BYTES // (1024 * 1024),
        "max_rows": service.MAX_ROWS,
    }, status_code=status_code)


def _preview_page(request: Request, preview: service.ImportPreview, org_query: str, chunks: list[str]):
    return render(request, "offers/import_preview.html", {
        "preview": preview, "org_query": org_query, "chunks": chunks,
    }, status_code=200 if preview.ok else 400)


@router.get("/roster/import")
def import_form(request: Request, session: DbSession, actor: RosterUser, org: OrgParam = None):
    organization = service.roster_organization(session, actor=actor, provider_org_id=org)
    return _import_page(request, session, organization, carried_org(actor, organization.id), FormErrors())


@router.post("/roster/import")
def import_preview(request: Request, session: DbSession, actor: RosterUser, form: Form, org: OrgParam = None):
    organization = service.roster_organization(session, actor=actor, provider_org_id=org)
    org_query = carried_org(actor, organization.id)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _import_page(request, session, organization, org_query,
                            FormErrors({"file": _("Choose a .csv or .xlsx file to upload.")}), 400)
    # One byte over the limit is enough to say the file is too big, without reading all of it.
    content = upload.file.read(service.MAX_UPLOAD_BYTES + 1)
    try:
        preview = service.preview_import(session, actor=actor, provider_org_id=organization.id,
                                         filename=upload.filename, content=content)
    except CapmatchError as exc:
        if exc.status in (401, 403, 404):
            raise
        return _import_page(request, session, organization, org_query, FormErrors({"file": exc.message}), 400)
    chunks = uploads.seal(filename=upload.filename, content=content, organization_id=organization.id,
                          user_id=actor.user_id) if preview.ok and not preview.already_imported else []
    return _preview_page(request, preview, org_query, chunks)


@router.post("/roster/import/confirm")
def import_confirm(request: Request, session: DbSession, actor: RosterUser, form: Form, org: OrgParam = None):
    organization = service.roster_organization(session, actor=actor, provider_org_id=org)
    org_query = carried_org(actor, organization.id)
    chunks = [c for c in form.getlist("upload") if isinstance(c, str)]
    try:
        upload = uploads.unseal(chunks, organization_id=organization.id, user_id=actor.user_id,
                                max_bytes=service.MAX_UPLOAD_BYTES)
    except uploads.UploadExpired as exc:
        return _import_page(request, session, organization, org_query, FormErrors({"file": str(exc)}), 400)
    try:
        with session.begin_nested():
            result = service.apply_import(session, actor=actor, provider_org_id=organization.id,
                                          filename=upload.filename, content=upload.content)
    except service.AlreadyImported as exc:
        # A double click or a replayed form: the first confirm imported the file; say so, where it landed.
        flash(request, _("{file}: {message}", file=upload.filename, message=exc.message), "info")
        return redirect_to(request, "roster", org_query)
    except service.RosterInvalid as exc:
        # The taxonomy changed between preview and confirm: show what is wrong now.
        return _preview_page(request, exc.preview, org_query, [])
    except CapmatchError as exc:
        if exc.status in (401, 403, 404):
            raise
        return _import_page(request, session, organization, org_query, FormErrors({"file": exc.message}), 400)
    count, updated = len(result.offer_ids), len(result.updated_ids)
    if updated:
        flash(request, ngettext("{count} offer imported from {file}. {updated} updated.",
                                "{count} offers imported from {file}. {updated} updated.", count,
                                file=upload.filename, updated=updated))
    else:
        flash(request, ngettext("{count} offer imported from {file}.", "{count} offers imported from {file}.", count,
                                file=upload.filename))
    return redirect_to(request, "roster", org_query)


def _download(file: export.RosterFile) -> Response:
    return Response(file.content, media_type=file.content_type,
                    headers={"Content-Disposition": f'attachment; filename="{file.filename}"'})


@router.get("/roster/export.csv")
def export_csv(session: DbSession, actor: RosterUser, org: OrgParam = None):
    return _download(export.export_roster(session, actor=actor, provider_org_id=org, fmt="csv"))


@router.get("/roster/export.xlsx")
def export_xlsx(session: DbSession, actor: RosterUser, org: OrgParam = None):
    return _download(export.export_roster(session, actor=actor, provider_org_id=org, fmt="xlsx"))


@router.get("/roster/template.csv")
def template(actor: RosterUser):
    return _download(export.RosterFile("capmatch-roster-example.csv", export.CONTENT_TYPES["csv"],
                                       export.template_csv()))
