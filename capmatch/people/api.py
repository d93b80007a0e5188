"""An organization's people and invitations in the API: for its focal points and the administrator."""

from __future__ import annotations

from fastapi import APIRouter

from capmatch.accounts import invitations
from capmatch.accounts.invitations import InvitationRow, status_of
from capmatch.inputs import Id
from capmatch.people import service as people
from capmatch.people.schemas import InvitationCreate, InvitationOut, PersonOut, PersonUpdate
from capmatch.web.deps import DbSession, MaybeActor

router = APIRouter()


def invitation_out(row: InvitationRow) -> InvitationOut:
    i = row.invitation
    return InvitationOut(id=i.id, email=i.email, full_name=i.full_name, role=i.role, is_focal_point=i.is_focal_point,
                         status=row.status, invited_by=row.invited_by, sent_at=i.sent_at, expires_at=i.expires_at)


def _one(invitation) -> InvitationOut:
    return invitation_out(InvitationRow(invitation, None, None, status_of(invitation)))


@router.get("/{organization_id}/people", response_model=list[PersonOut], summary="An organization's users")
def list_people(organization_id: Id, session: DbSession, actor: MaybeActor):
    found = people.people_of(session, actor=actor, organization_id=organization_id)
    return [PersonOut(**vars(p)) for p in found.users]


@router.patch("/{organization_id}/people/{member_id}", response_model=PersonOut,
              summary="Change a user's role, focal point standing or activity")
def update_person(organization_id: Id, member_id: Id, body: PersonUpdate, session: DbSession, actor: MaybeActor):
    user = people.update_person(session, actor=actor, organization_id=organization_id, user_id=member_id,
                                role=body.role, is_focal_point=body.is_focal_point, is_active=body.is_active)
    return PersonOut(id=user.id, email=user.email, full_name=user.full_name, role=user.role,
                     is_focal_point=user.is_focal_point, is_active=user.is_active, created_at=user.created_at,
                     last_login_at=user.last_login_at)


@router.get("/{organization_id}/invitations", response_model=list[InvitationOut],
            summary="An organization's open invitations")
def list_invitations(organization_id: Id, session: DbSession, actor: MaybeActor, include_closed: bool = False):
    rows = invitations.list_invitations(session, actor=actor, organization_id=organization_id,
                                        include_closed=include_closed)
    return [invitation_out(r) for r in rows]


@router.post("/{organization_id}/invitations", response_model=InvitationOut, status_code=201,
             summary="Invite a person by e-mail")
def create_invitation(organization_id: Id, body: InvitationCreate, session: DbSession, actor: MaybeActor):
    return _one(invitations.invite(session, actor=actor, email=body.email, full_name=body.full_name, role=body.role,
                                   organization_id=organization_id, is_focal_point=body.is_focal_point))


@router.post("/{organization_id}/invitations/{invitation_id}/resend", response_model=InvitationOut,
             summary="Send an invitation again, with a new link")
def resend_invitation(organization_id: Id, invitation_id: Id, session: DbSession, actor: MaybeActor):
    return _one(invitations.resend(session, actor=actor, invitation_id=invitation_id, organization_id=organization_id))


@router.post("/{organization_id}/invitations/{invitation_id}/revoke", response_model=InvitationOut,
             summary="Revoke an invitation")
def revoke_invitation(organization_id: Id, invitation_id: Id, session: DbSession, actor: MaybeActor):
    return _one(invitations.revoke(session, actor=actor, invitation_id=invitation_id, organization_id=organization_id))
