"""/admin/invitations: every open invitation, and inviting the secretariat's own officers and administrators.

An organization's people are invited from its people page; the secretariat belongs to no
organization, so its invitations are made here (the administrator only).
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from capmatch.accounts import invitations
from capmatch.enums import SECRETARIAT_ROLES
from capmatch.inputs import Id
from capmatch.people.views import act_then_show
from capmatch.web.deps import DbSession
from capmatch.web.forms import Form, FormErrors, save, text
from capmatch.i18n import _
from capmatch.web.labels import label
from capmatch.web.links import redirect_to
from capmatch.web.session import CurrentAdmin, flash
from capmatch.web.templating import render

router = APIRouter(prefix="/admin", include_in_schema=False)
FIELDS = {"email", "full_name", "role"}
FORM_ORDER = ("email", "full_name", "role")  # as the form shows them, for the error summary


def _page(request: Request, session, actor, *, values=None, errors=None, status_code: int = 200):
    return render(request, "people/invitations.html", {
        "rows": invitations.list_invitations(session, actor=actor, organization_id=None),
        "values": values or {"role": "officer"}, "errors": errors or FormErrors(),
        "role_options": [(role, label(role)) for role in SECRETARIAT_ROLES],
    }, status_code=status_code)


@router.get("/invitations", name="admin_invitations")
def invitation_list(request: Request, session: DbSession, actor: CurrentAdmin):
    return _page(request, session, actor)


@router.post("/invitations", name="secretariat_invite")
def secretariat_invite(request: Request, session: DbSession, actor: CurrentAdmin, form: Form):
    values = {name: text(form, name) for name in FIELDS}
    errors = FormErrors()
    if values["role"] not in SECRETARIAT_ROLES:
        errors["role"] = _("Choose officer or administrator: organizations invite their own people.")
        errors.add_domain_error_list(invitations.address_problems(session, actor=actor, email=values["email"],
                                                                  organization_id=None), FIELDS)
        return _page(request, session, actor, values=values, errors=errors.in_order(FORM_ORDER), status_code=400)
    invitation = save(session, errors, FIELDS, lambda: invitations.invite(
        session, actor=actor, email=values["email"], full_name=values["full_name"], role=values["role"],
        organization_id=None))
    if invitation is None:
        return _page(request, session, actor, values=values, errors=errors.in_order(FORM_ORDER), status_code=400)
    flash(request, _("An invitation is on its way to {email}.", email=invitation.email))
    return redirect_to(request, "admin_invitations")


def _act(request: Request, session, call, done: str):
    return act_then_show(request, session, call, done, "admin_invitations")


@router.post("/invitations/{invitation_id}/resend", name="admin_invitation_resend")
def invitation_resend(invitation_id: Id, request: Request, session: DbSession, actor: CurrentAdmin):
    return _act(request, session, lambda: invitations.resend(session, actor=actor, invitation_id=invitation_id),
                _("The invitation is sent again with a new link; the old link no longer works."))


@router.post("/invitations/{invitation_id}/revoke", name="admin_invitation_revoke")
def invitation_revoke(invitation_id: Id, request: Request, session: DbSession, actor: CurrentAdmin):
    return _act(request, session, lambda: invitations.revoke(session, actor=actor, invitation_id=invitation_id),
                _("The invitation is revoked: its link no longer works."))
