"""The signed-in person's notifications: read them, mark them read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse

from capmatch.i18n import ngettext
from capmatch.inputs import INT8_MAX
from capmatch.notifications import service
from capmatch.pagination import PageRequest
from capmatch.web.deps import DbSession
from capmatch.web.forms import Form, whole_number
from capmatch.web.session import CurrentUser, flash, safe_next
from capmatch.web.templating import render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 30


@router.get("/notifications")
def notifications(
    request: Request, session: DbSession, actor: CurrentUser, unread: bool = False,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
):
    rows, total = service.list_notifications(
        session, actor=actor, page=PageRequest(page=page, page_size=PAGE_SIZE), unread_only=unread
    )
    return render(request, "notifications/list.html", {
        "notifications": rows, "total": total, "page": page, "page_size": PAGE_SIZE, "unread": unread,
        "unread_count": service.unread_count(session, actor=actor), "query": "unread=true" if unread else "",
    })


@router.post("/notifications/read")
def mark_read(request: Request, session: DbSession, actor: CurrentUser, form: Form):
    """One notification (id=...) or, without an id, all of them; then back where the person was."""
    ids = [n for v in form.getlist("id") if isinstance(v, str) and (n := whole_number(v, high=INT8_MAX))]
    count = service.mark_read(session, actor=actor, notification_ids=ids or None)
    if not ids:
        flash(request, ngettext("{count} notification marked read.", "{count} notifications marked read.", count))
    target = form.get("next")
    return RedirectResponse(safe_next(target if isinstance(target, str) else None, "/notifications"),
                            status_code=303)
