"""/organizations/{id}/people: an organization's users and invitations, for its focal points and the administrator.

Every form posts back here and answers with a 303 to the page (a refused change shows as an error
message on it, an invalid invitation re-renders the page with 400 and the form's errors).
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from capmatch.accounts import invitations
from capmatch.inputs import Id
from capmatch.people import service as people
from capmatch.web.deps import DbSession
from capmatch.web.forms import Form, FormErrors, checked, save, text
from capmatch.i18n import _
from capmatch.web.labels import label
from capmatch.web.links import redirect_to
from capmatch.web.session import CurrentUser, flash
from capmatch.web.templating import render

router = APIRouter(include_in_schema=False)
INVITE_FIELDS = {"email", "full_name", "role", "is_focal_point"}


def _page(request: Request, session, actor, organization_id: int, *, values=None, errors=None, status_code=200):
    found = people.people_of(session, actor=actor, organization_id=organization_id)
    return render(request, "people/people.html", {
        "people": found, "values": values or {"role": found.roles[0] if found.roles else ""},
        "errors": errors or FormErrors(), "role_options": [(r, label(r)) for r in found.roles],
    }, status_code=status_code)


@router.get("/organizations/{organization_id}/people", name="people")
def people_page(organization_id: Id, request: Request, session: DbSession, actor: CurrentUser):
    return _page(request, session, actor, organization_id)


@router.post("/organizations/{organization_id}/invitations", name="people_invite")
def people_invite(organization_id: Id, request: Request, session: DbSession, actor: CurrentUser, form: Form):
    values = {name: text(form, name) for name in ("email", "full_name", "role")}
    values["is_focal_point"] = checked(form, "is_focal_point")
    errors = FormErrors()
    invitation = save(session, errors, INVITE_FIELDS, lambda: invitations.invite(
        session, actor=actor, email=values["email"], full_name=values["full_name"], role=values["role"],
        organization_id=organization_id, is_focal_point=values["is_focal_point"]))
    if invitation is None:
        return _page(request, session, actor, organization_id, values=values,
                     errors=errors.in_order(("email", "full_name", "role", "is_focal_point")), status_code=400)
    flash(request, _("An invitation is on its way to {email}.", email=invitation.email))
    return redirect_to(request, "people", organization_id=organization_id)


def act_then_show(request: Request, session, call, done: str, route: str, **path_params):
    """Make one change and go back to the page it was made from, saying how it went."""
    errors = FormErrors()
    if save(session, errors, None, call) is None:
        flash(request, next(iter(errors.values())), "error")
    else:
        flash(request, done)
    return redirect_to(request, route, **path_params)


def _act(request: Request, session, organization_id: int, call, done: str):
    return act_then_show(request, session, call, done, "people", organization_id=organization_id)


@router.post("/organizations/{organization_id}/invitations/{invitation_id}/resend", name="invitation_resend")
def invitation_resend(organization_id: Id, invitation_id: Id, request: Request, session: DbSession,
                      actor: CurrentUser):
    return _act(request, session, organization_id, lambda: invitations.resend(
        session, actor=actor, invitation_id=invitation_id, organization_id=organization_id),
        _("The invitation is sent again with a new link; the old link no longer works."))


@router.post("/organizations/{organization_id}/invitations/{invitation_id}/revoke", name="invitation_revoke")
def invitation_revoke(organization_id: Id, invitation_id: Id, request: Request, session: DbSession,
                      actor: CurrentUser):
    return _act(request, session, organization_id, lambda: invitations.revoke(
        session, actor=actor, invitation_id=invitation_id, organization_id=organization_id),
        _("The invitation is revoked: its link no longer works."))


@router.post("/organizations/{organization_id}/people/{member_id}", name="person_update")
def person_update(organization_id: Id, member_id: Id, request: Request, session: DbSession, actor: CurrentUser,
                  form: Form):
    role = text(form, "role") or None
    return _act(request, session, organization_id, lambda: people.update_person(
        session, actor=actor, organization_id=organization_id, user_id=member_id, role=role,
        is_focal_point=checked(form, "is_focal_point")), _("The change is saved."))


@router.post("/organizations/{organization_id}/people/{member_id}/deactivate", name="person_deactivate")
def person_deactivate(organization_id: Id, member_id: Id, request: Request, session: DbSession, actor: CurrentUser):
    return _act(request, session, organization_id, lambda: people.update_person(
        session, actor=actor, organization_id=organization_id, user_id=member_id, is_active=False),
        _("Deactivated: their sessions and API tokens have ended. Nothing they did is deleted."))


@router.post("/organizations/{organization_id}/people/{member_id}/activate", name="person_activate")
def person_activate(organization_id: Id, member_id: Id, request: Request, session: DbSession, actor: CurrentUser):
    return _act(request, session, organization_id, lambda: people.update_person(
        session, actor=actor, organization_id=organization_id, user_id=member_id, is_active=True),
        _("Active again: they can sign in."))
