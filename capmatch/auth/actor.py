"""Who is acting: the plain value services use to decide what is allowed (no web imports)."""

from __future__ import annotations

from dataclasses import dataclass

from capmatch.enums import SECRETARIAT_ROLES
from capmatch.errors import Forbidden, NotAuthenticated
from capmatch.i18n import N_, _

# Who may do a thing, by the roles allowed.
ONLY_ROLES = {
    frozenset({"officer", "admin"}): N_("Only a matching officer or an administrator may do this."),
    frozenset({"requester"}): N_("Only a requester may do this."),
    frozenset({"provider"}): N_("Only a provider may do this."),
    frozenset({"officer"}): N_("Only a matching officer may do this."),
    frozenset({"admin"}): N_("Only an administrator may do this."),
}
NOT_YOUR_ROLE = N_("Your role does not allow you to do this.")


@dataclass(frozen=True)
class Actor:
    user_id: int
    role: str
    organization_id: int | None
    email: str = ""
    # Manages the organization's people (capmatch.people); only a member of an organization is one.
    is_focal_point: bool = False

    @property
    def is_secretariat(self) -> bool:
        return self.role in SECRETARIAT_ROLES

    @property
    def db_user_id(self) -> int | None:
        """The users.id to record, or None for the system actor (no person did it)."""
        return self.user_id or None

    def acts_for(self, organization_id: int) -> bool:
        return self.organization_id == organization_id


def require_actor(actor: Actor | None) -> Actor:
    if actor is None:
        raise NotAuthenticated(_("Sign in or send a bearer token to do this."))
    return actor


def require_role(actor: Actor | None, *roles: str) -> Actor:
    actor = require_actor(actor)
    if actor.role not in roles:
        raise Forbidden(_(ONLY_ROLES.get(frozenset(roles), NOT_YOUR_ROLE)))
    return actor


# The secretariat acting through the command line or a scheduled job, not a signed-in person.
SYSTEM = Actor(user_id=0, role="admin", organization_id=None, email="system")


def require_admin(actor: Actor | None) -> Actor:
    actor = require_actor(actor)
    if actor.role != "admin":
        raise Forbidden(_(ONLY_ROLES[frozenset({"admin"})]))
    return actor

