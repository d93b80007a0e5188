"""Invitations: the administrator, or an organization's focal point for it, asks a person to join.

The person gets a one-time link (capmatch.accounts.links) that expires; following it they choose a
password and have an account with the role they were invited to. Invitations can be listed,
resent (a new link, the old one stops working) and revoked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from capmatch.accounts import emails
from capmatch.accounts.links import LinkRefused, LinkState, new_link, verified_digest
from capmatch.accounts.models import Invitation
from capmatch.accounts.outbox import link_url, queue_email
from capmatch.audit.service import record
from capmatch.auth.actor import Actor, require_actor
from capmatch.auth.models import User
from capmatch.auth.service import check_role_fits, create_user
from capmatch.config import get_settings
from capmatch.enums import SECRETARIAT_ROLES
from capmatch.errors import CapmatchError, Conflict, Forbidden, InvalidInput, NotFound, Problems, problems_of
from capmatch.i18n import _
from capmatch.organizations.models import Organization

INVITATION_PATH = "/invitations/"


def require_manager(actor: Actor | None, organization_id: int | None) -> Actor:
    """The administrator for any organization (and the secretariat), a focal point for their own only."""
    actor = require_actor(actor)
    if actor.role == "admin":
        return actor
    if organization_id is not None and actor.is_focal_point and actor.acts_for(organization_id):
        return actor
    raise Forbidden(_("Only the administrator or the organization's focal points manage its people."))


def normalize_email(email: str, *, field: str = "email") -> str:
    email = email.strip().lower()
    local, at, domain = email.partition("@")
    if not (local and at and "." in domain and not domain.startswith(".") and len(email) <= 254) or " " in email:
        raise InvalidInput(_("Enter an e-mail address such as name@example.org."), field=field)
    return email


@dataclass(frozen=True)
class SignedIn:
    """Who a link or a form signed in, and the session version their cookie must carry."""

    actor: Actor
    session_version: int


def signed_in_as(user: User) -> SignedIn:
    actor = Actor(user_id=user.id, role=user.role, organization_id=user.organization_id, email=user.email,
                  is_focal_point=user.is_focal_point)
    return SignedIn(actor, user.session_version)


@dataclass(frozen=True)
class InvitationRow:
    invitation: Invitation
    organization_name: str | None
    invited_by: str | None
    status: str  # pending, expired, accepted, revoked
    organization_acronym: str | None = None  # the secretariat's list shows it in place of the name


def status_of(invitation: Invitation, now: datetime | None = None) -> str:
    if invitation.accepted_at is not None:
        return "accepted"
    if invitation.revoked_at is not None:
        return "revoked"
    return "expired" if invitation.expires_at <= (now or datetime.now(UTC)) else "pending"


def list_invitations(session: Session, *, actor: Actor | None, organization_id: int | None,
                     include_closed: bool = False) -> list[InvitationRow]:
    """An organization's invitations (None: the administrator's view of every one), newest first."""
    require_manager(actor, organization_id)
    inviter = aliased(User)
    stmt = (
        sa.select(Invitation, Organization.name, inviter.email, Organization.acronym)
        .outerjoin(Organization, Organization.id == Invitation.organization_id)
        .outerjoin(inviter, inviter.id == Invitation.invited_by_id)
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    )
    if organization_id is not None:
        stmt = stmt.where(Invitation.organization_id == organization_id)
    if not include_closed:
        stmt = stmt.where(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
    now = datetime.now(UTC)
    return [InvitationRow(inv, org, by, status_of(inv, now), acronym)
            for inv, org, by, acronym in session.execute(stmt.limit(500))]


def _free_address(session: Session, email: str) -> str:
    """The address, normalized, if no account has it and no invitation to it is open."""
    email = normalize_email(email)
    if session.scalar(sa.select(User.id).where(User.email == email)) is not None:
        raise Conflict(_("{email} already has an account.", email=email), field="email")
    if session.scalar(sa.select(Invitation.id).where(
            Invitation.email == email, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))):
        raise Conflict(_("An invitation to {email} is already open: resend or revoke it.", email=email), field="email")
    return email


def address_problems(session: Session, *, actor: Actor | None, email: str,
                     organization_id: int | None) -> list[CapmatchError]:
    """What is wrong with the address of an invitation whose other fields a form refused already,
    without writing anything: the form shows it with its other errors in one answer."""
    require_manager(actor, organization_id)
    return problems_of(lambda: _free_address(session, email))


def invite(session: Session, *, actor: Actor | None, email: str, full_name: str, role: str,
           organization_id: int | None, is_focal_point: bool = False) -> Invitation:
    """Every check runs before anything is written; one InvalidInput carries all that failed."""
    actor = require_manager(actor, organization_id)
    problems = Problems()
    with problems.check():
        email = _free_address(session, email)
    if role in SECRETARIAT_ROLES:
        if actor.role != "admin":
            raise Forbidden(_("Only the administrator invites the secretariat's officers and administrators."),
                            field="role")
        if organization_id is not None or is_focal_point:
            problems.add(_("Officers and administrators belong to the secretariat, not to an organization."),
                         field="role")
    else:
        with problems.check():
            check_role_fits(session, role=role, organization_id=organization_id)
    problems.raise_any()
    invitation = Invitation(email=email, full_name=full_name.strip()[:200], role=role,
                            organization_id=organization_id, is_focal_point=is_focal_point,
                            invited_by_id=actor.db_user_id, token_digest="", expires_at=datetime.now(UTC))
    session.add(invitation)
    _send(session, actor=actor, invitation=invitation)
    record(session, actor=actor, entity_type="invitation", entity_id=invitation.id, action="create",
           data={"email": email, "role": role, "organization_id": organization_id, "focal_point": is_focal_point})
    return invitation


def _send(session: Session, *, actor: Actor, invitation: Invitation) -> None:
    """A fresh link (any earlier one stops working), a fresh expiry, and the e-mail carrying it."""
    link = new_link("invitation")
    now = datetime.now(UTC)
    invitation.token_digest = link.digest
    invitation.sent_at = now
    invitation.expires_at = now + timedelta(days=get_settings().invitation_expiry_days)
    session.flush()  # the partial unique index refuses a second open invitation here; the id is the audit's
    organization = session.get(Organization, invitation.organization_id) if invitation.organization_id else None
    subject, body = emails.invitation(
        organization=organization.name if organization else None, role=invitation.role,
        focal_point=invitation.is_focal_point, inviter=actor.email if actor.user_id else None,
        link=link_url(INVITATION_PATH + link.token), expires_at=invitation.expires_at)
    queue_email(session, to=invitation.email, subject=subject, body=body)


def _open(session: Session, *, actor: Actor | None, invitation_id: int, organization_id: int | None) -> Invitation:
    invitation = session.scalar(sa.select(Invitation).where(Invitation.id == invitation_id).with_for_update())
    if invitation is None or (organization_id is not None and invitation.organization_id != organization_id):
        raise NotFound(_("No invitation has the id {id}.", id=invitation_id))
    require_manager(actor, invitation.organization_id)
    state = status_of(invitation)
    if state in ("accepted", "revoked"):
        message = _("This invitation was accepted already.") if state == "accepted" else _(
            "This invitation was revoked already.")
        raise Conflict(message, field="invitation_id")
    return invitation


def resend(session: Session, *, actor: Actor | None, invitation_id: int,
           organization_id: int | None = None) -> Invitation:
    invitation = _open(session, actor=actor, invitation_id=invitation_id, organization_id=organization_id)
    actor = require_actor(actor)
    _send(session, actor=actor, invitation=invitation)
    record(session, actor=actor, entity_type="invitation", entity_id=invitation.id, action="resend",
           data={"email": invitation.email})
    return invitation


def revoke(session: Session, *, actor: Actor | None, invitation_id: int,
           organization_id: int | None = None) -> Invitation:
    invitation = _open(session, actor=actor, invitation_id=invitation_id, organization_id=organization_id)
    invitation.revoked_at = datetime.now(UTC)
    record(session, actor=actor, entity_type="invitation", entity_id=invitation.id, action="revoke",
           from_state="pending", to_state="revoked", data={"email": invitation.email})
    return invitation


@dataclass(frozen=True)
class InvitationView:
    email: str
    full_name: str
    role: str
    organization_name: str | None
    is_focal_point: bool


def usable_invitation(session: Session, *, token: str, lock: bool = False) -> Invitation:
    """The invitation a link opens, or LinkRefused saying plainly why not."""
    found = verified_digest("invitation", token)
    if found is None:
        raise LinkRefused(LinkState.INVALID)
    stmt = sa.select(Invitation).where(Invitation.token_digest == found)
    invitation = session.scalar(stmt.with_for_update() if lock else stmt)
    if invitation is None:
        raise LinkRefused(LinkState.INVALID)
    state = status_of(invitation)
    if state != "pending":
        raise LinkRefused({"accepted": LinkState.USED, "revoked": LinkState.REVOKED}.get(state, LinkState.EXPIRED))
    return invitation


def describe(session: Session, *, token: str) -> InvitationView:
    """What the link's page shows before the person accepts (a read: nothing changes)."""
    invitation = usable_invitation(session, token=token)
    organization = session.get(Organization, invitation.organization_id) if invitation.organization_id else None
    return InvitationView(invitation.email, invitation.full_name, invitation.role,
                          organization.name if organization else None, invitation.is_focal_point)


def name_problem(full_name: str, invited_as: str) -> str | None:
    """Why the name typed on an invitation's page will not do: none typed, and none in the invitation."""
    return None if full_name.strip() or invited_as else _("Enter your name.")


def accept(session: Session, *, token: str, full_name: str, password: str) -> SignedIn:
    """The account the invitation promised, with the password the person chose; the link is used up."""
    invitation = usable_invitation(session, token=token, lock=True)
    problems = Problems()
    if problem := name_problem(full_name, invitation.full_name):
        problems.add(problem, field="full_name")
    user = create_user(session, email=invitation.email, full_name=full_name.strip() or invitation.full_name,
                       role=invitation.role, password=password, organization_id=invitation.organization_id,
                       is_focal_point=invitation.is_focal_point, problems=problems)
    invitation.accepted_at = datetime.now(UTC)
    invitation.accepted_user_id = user.id
    session.flush()
    session.refresh(user, ["session_version"])
    joined = signed_in_as(user)
    record(session, actor=joined.actor, entity_type="invitation", entity_id=invitation.id, action="accept",
           from_state="pending", to_state="accepted")
    record(session, actor=joined.actor, entity_type="user", entity_id=user.id, action="join",
           data={"email": user.email, "role": user.role, "organization_id": user.organization_id,
                 "focal_point": user.is_focal_point, "invitation_id": invitation.id})
    return joined
