"""The administrator's work on user accounts: the list, adding a user, activating and deactivating.

Every function here refuses anyone but an administrator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.audit.service import record
from capmatch.auth.actor import Actor, require_admin
from capmatch.auth.models import ApiToken, User
from capmatch.auth.service import create_user
from capmatch.errors import Conflict, NotFound, Problems
from capmatch.i18n import _
from capmatch.organizations.models import Organization
from capmatch.pagination import PageRequest, fetch_page
from capmatch.taxonomy.service import ilike_pattern


@dataclass(frozen=True)
class UserRow:
    id: int
    email: str
    full_name: str
    role: str
    organization_id: int | None
    organization_name: str | None
    is_active: bool
    created_at: datetime
    last_login_at: datetime | None
    organization_acronym: str | None = None  # the list shows it in place of the name


def list_users(
    session: Session, *, actor: Actor | None, q: str | None = None, role: str | None = None,
    organization_id: int | None = None, active: bool | None = None, page: PageRequest,
) -> tuple[list[UserRow], int]:
    require_admin(actor)
    stmt = (
        sa.select(User, Organization.name, Organization.acronym)
        .outerjoin(Organization, Organization.id == User.organization_id)
        .order_by(User.email, User.id)
    )
    if q and q.strip():
        pattern = ilike_pattern(q)
        stmt = stmt.where(sa.or_(User.email.ilike(pattern), User.full_name.ilike(pattern)))
    if role:
        stmt = stmt.where(User.role == role)
    if organization_id is not None:
        stmt = stmt.where(User.organization_id == organization_id)
    if active is not None:
        stmt = stmt.where(User.is_active.is_(active))
    rows, total = fetch_page(session, stmt, page)
    return [
        UserRow(u.id, u.email, u.full_name, u.role, u.organization_id, org_name, u.is_active, u.created_at,
                u.last_login_at, acronym)
        for u, org_name, acronym in rows
    ], total


def add_user(
    session: Session, *, actor: Actor | None, email: str, full_name: str, role: str, password: str,
    organization_id: int | None,
) -> User:
    actor = require_admin(actor)
    problems = Problems()
    if not full_name.strip():
        problems.add(_("Enter the person's name."), field="full_name")
    if role in ("officer", "admin") and organization_id is not None:
        # The secretariat acts for every organization; tying one to a single org would mislead.
        problems.add(_("Officers and administrators belong to the secretariat: choose no organization."),
                     field="organization_id")
    user = create_user(session, email=email, full_name=full_name, role=role, password=password,
                       organization_id=organization_id, problems=problems)
    record(session, actor=actor, entity_type="user", entity_id=user.id, action="create",
           data={"email": user.email, "role": user.role, "organization_id": user.organization_id})
    return user


def set_user_active(session: Session, *, actor: Actor | None, user_id: int, active: bool) -> User:
    """Deactivating ends the user's sessions and API tokens at their next request; nothing is deleted."""
    actor = require_admin(actor)
    user = session.scalar(sa.select(User).where(User.id == user_id).with_for_update())
    if user is None:
        raise NotFound(_("No user has the id {id}.", id=user_id))
    return change_active(session, actor=actor, user=user, active=active)


def change_active(session: Session, *, actor: Actor, user: User, active: bool) -> User:
    """(De)activate a user the caller has locked and may manage; the audit trail keeps who did it."""
    if user.id == actor.user_id and not active:
        raise Conflict(_("You cannot deactivate your own account."), field="user_id")
    if user.is_active == active:
        return user
    if not active and user.role == "admin":
        others = session.scalar(
            sa.select(sa.func.count()).select_from(User)
            .where(User.role == "admin", User.is_active, User.id != user.id)
        )
        if not others:
            raise Conflict(_("This is the last active administrator."), field="user_id")
    user.is_active = active
    if not active:
        session.execute(
            sa.update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=sa.func.now())
        )
    record(session, actor=actor, entity_type="user", entity_id=user.id,
           action="activate" if active else "deactivate",
           from_state="inactive" if active else "active", to_state="active" if active else "inactive")
    return user
