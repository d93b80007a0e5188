"""An organization's own people: its users and open invitations, managed by its focal points.

A focal point (users.is_focal_point) sees and manages their own organization's users only; the
administrator does so for every organization. Roles stay within the organization's kind: a
providing organization has providers, a requesting one requesters, one that does both may have
both. Nobody is deleted: deactivation ends their sessions and tokens and the audit trail keeps
who did what.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.accounts.invitations import InvitationRow, list_invitations, require_manager
from capmatch.audit.service import record
from capmatch.auth.actor import Actor
from capmatch.auth.models import User
from capmatch.auth.users import change_active
from capmatch.errors import Conflict, InvalidInput, NotFound
from capmatch.i18n import N_, _
from capmatch.organizations.models import Organization

# A member's role when another is asked for, by the roles the organization's kind of work allows.
ROLES_ALLOWED = {
    ("requester",): N_("A member of {name} can only be a requester."),
    ("provider",): N_("A member of {name} can only be a provider."),
    ("requester", "provider"): N_("A member of {name} can only be a requester or a provider."),
}


@dataclass(frozen=True)
class Person:
    id: int
    email: str
    full_name: str
    role: str
    is_focal_point: bool
    is_active: bool
    created_at: datetime
    last_login_at: datetime | None


@dataclass(frozen=True)
class People:
    organization: Organization
    roles: tuple[str, ...]  # the roles its kind allows
    users: list[Person]
    invitations: list[InvitationRow]


def organization_roles(organization: Organization) -> tuple[str, ...]:
    return (("requester",) if organization.may_request else ()) + (("provider",) if organization.may_provide else ())


def _organization(session: Session, organization_id: int) -> Organization:
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise NotFound(_("No organization has the id {id}.", id=organization_id))
    return organization


def people_of(session: Session, *, actor: Actor | None, organization_id: int) -> People:
    require_manager(actor, organization_id)
    organization = _organization(session, organization_id)
    users = session.scalars(
        sa.select(User).where(User.organization_id == organization_id)
        .order_by(User.is_active.desc(), User.full_name, User.id)
    )
    people = [Person(u.id, u.email, u.full_name, u.role, u.is_focal_point, u.is_active, u.created_at, u.last_login_at)
              for u in users]
    return People(organization, organization_roles(organization), people,
                  list_invitations(session, actor=actor, organization_id=organization_id))


def update_person(
    session: Session, *, actor: Actor | None, organization_id: int, user_id: int, role: str | None = None,
    is_focal_point: bool | None = None, is_active: bool | None = None,
) -> User:
    """Change a member's role, focal-point standing or activity; each change is an audit event."""
    actor = require_manager(actor, organization_id)
    user = session.scalar(sa.select(User).where(User.id == user_id).with_for_update())
    # Another organization's user is as unknown here as one who does not exist.
    if user is None or user.organization_id != organization_id:
        raise NotFound(_("{name} has no user with the id {id}.", name=_organization(session, organization_id).name,
                           id=user_id))
    if user.id == actor.user_id and (role not in (None, user.role) or is_focal_point is False):
        raise Conflict(_("You cannot change your own role: ask another focal point or the secretariat."), field="role")
    if role is not None and role != user.role:
        organization = _organization(session, organization_id)
        if role not in organization_roles(organization):
            allowed = ROLES_ALLOWED.get(organization_roles(organization), ROLES_ALLOWED[("requester", "provider")])
            raise InvalidInput(_(allowed, name=organization.name), field="role")
        record(session, actor=actor, entity_type="user", entity_id=user.id, action="role_change",
               from_state=user.role, to_state=role)
        user.role = role
    if is_focal_point is not None and is_focal_point != user.is_focal_point:
        record(session, actor=actor, entity_type="user", entity_id=user.id,
               action="focal_point_named" if is_focal_point else "focal_point_removed")
        user.is_focal_point = is_focal_point
    if is_active is not None:
        change_active(session, actor=actor, user=user, active=is_active)
    return user
