"""A person's own profile: what they see of their account, and the few things they change themselves.

The e-mail address is not changed here: a new address needs confirming from that address first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.audit.service import record
from capmatch.auth.actor import Actor, require_actor
from capmatch.auth.models import User
from capmatch.errors import NotFound
from capmatch.i18n import _
from capmatch.notifications.preferences import email_choices, set_email_choices
from capmatch.organizations.models import Organization
from capmatch.profiles.schemas import ProfileUpdate


@dataclass(frozen=True)
class Profile:
    user_id: int
    email: str
    full_name: str
    role: str
    organization_id: int | None
    organization_name: str | None
    language: str | None  # none chosen: the browser's
    email_kinds: dict[str, bool]  # every kind of event -> e-mailed as well as shown in the app
    created_at: datetime
    last_login_at: datetime | None


def get_profile(session: Session, *, actor: Actor | None) -> Profile:
    actor = require_actor(actor)
    row = session.execute(
        sa.select(User, Organization.name).outerjoin(Organization, Organization.id == User.organization_id)
        .where(User.id == actor.user_id)
    ).first()
    if row is None:
        raise NotFound(_("Your account no longer exists."))
    user, organization_name = row
    return Profile(user.id, user.email, user.full_name, user.role, user.organization_id, organization_name,
                   user.language, email_choices(session, user_id=user.id), user.created_at, user.last_login_at)


def update_profile(session: Session, *, actor: Actor | None, data: ProfileUpdate) -> dict[str, object]:
    """Apply the changes; returns what changed (field -> [before, after]), also the audit event's data."""
    actor = require_actor(actor)
    user = session.scalar(sa.select(User).where(User.id == actor.user_id).with_for_update())
    if user is None:
        raise NotFound(_("Your account no longer exists."))
    changes: dict[str, object] = {}
    for field in ("full_name", "language"):
        before, after = getattr(user, field), getattr(data, field)
        if before != after:
            changes[field] = [before, after]
            setattr(user, field, after)
    wanted = set(data.email_kinds)
    emailed = set_email_choices(session, user_id=user.id, choices={
        kind: kind in wanted for kind in email_choices(session, user_id=user.id)})
    if emailed:
        changes["email_kinds"] = {kind: "email" if on else "in_app" for kind, on in sorted(emailed.items())}
    if changes:
        record(session, actor=actor, entity_type="user", entity_id=user.id, action="update_profile", data=changes)
    return changes


def set_language(session: Session, *, actor: Actor | None, language: str) -> bool:
    """The language switcher for a signed-in person: their preference, kept on their account."""
    actor = require_actor(actor)
    user = session.scalar(sa.select(User).where(User.id == actor.user_id).with_for_update())
    if user is None:
        raise NotFound(_("Your account no longer exists."))
    if user.language == language:
        return False
    record(session, actor=actor, entity_type="user", entity_id=user.id, action="update_profile",
           data={"language": [user.language, language]})
    user.language = language
    return True
