"""The audit page: the trail of one need, offer, proposal or match run, for officers."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request

from capmatch.audit import queries
from capmatch.i18n import _
from capmatch.pagination import PageRequest
from capmatch.web.deps import DbSession, PageNumber
from capmatch.web.forms import FormErrors, parse_id
from capmatch.web.session import CurrentOfficer
from capmatch.web.templating import render

router = APIRouter(prefix="/officer", include_in_schema=False)

PAGE_SIZE = 50


@router.get("/audit")
def audit(request: Request, session: DbSession, actor: CurrentOfficer, entity: str = "", id: str = "",  # noqa: A002
          page: PageNumber = 1):
    values = {"entity": entity.strip(), "id": id.strip()}
    errors = FormErrors()
    trail = None
    if values["entity"] or values["id"]:
        ident = parse_id(values["id"], "id", errors)
        if ident is None and "id" not in errors:
            errors.add("id", _("Enter the number of the record."))
        if values["entity"] not in queries.AUDITED_ENTITIES:
            errors.add("entity", _("Choose what kind of record to trace."))
        if not errors:
            trail = queries.audit_trail(session, actor=actor, entity_type=values["entity"], entity_id=ident,
                                        page=PageRequest(page, PAGE_SIZE))
    return render(request, "audit/trail.html", {
        "values": values, "errors": errors, "trail": trail, "entities": queries.AUDITED_ENTITIES,
        "page": page, "page_size": PAGE_SIZE, "query": urlencode(values),
    }, status_code=400 if errors else 200)
