"""Users and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.auth.actor import Actor
from capmatch.auth.models import ApiToken, User
from capmatch.auth.passwords import hash_password, password_problem
from capmatch.enums import ROLES, SECRETARIAT_ROLES
from capmatch.errors import Conflict, InvalidInput, NotFound, Problems
from capmatch.i18n import _
from capmatch.organizations.models import Organization

TOKEN_PREFIX = "cm_"
# How fresh a token's last use is kept: a token sending many requests a minute is written once.
LAST_USE_PRECISION = timedelta(minutes=1)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(
    session: Session,
    *,
    email: str,
    full_name: str,
    role: str,
    password: str,
    organization_id: int | None = None,
    is_focal_point: bool = False,
    problems: Problems | None = None,
) -> User:
    """A new account. Every check runs before anything is written, and one InvalidInput carries all
    that failed, with those the caller found (`problems`): a form says them all at once."""
    problems = Problems() if problems is None else problems
    email = email.strip().lower()
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        problems.add(_("Enter a valid e-mail address."), field="email")
    elif session.scalar(sa.select(User.id).where(User.email == email)) is not None:
        problems.found.append(Conflict(_("A user with the e-mail {email} already exists.", email=email), field="email"))
    if problem := password_problem(password, email=email):
        problems.add(problem, field="password")
    with problems.check():
        check_role_fits(session, role=role, organization_id=organization_id)
    if is_focal_point and organization_id is None:
        problems.add(_("Only a member of an organization can be its focal point."), field="is_focal_point")
    problems.raise_any()
    user = User(
        email=email,
        full_name=full_name.strip() or email,
        role=role,
        organization_id=organization_id,
        password_hash=hash_password(password),
        is_focal_point=is_focal_point,
    )
    session.add(user)
    session.flush()  # assigns the id the caller reports
    return user


def check_role_fits(session: Session, *, role: str, organization_id: int | None, field: str = "organization_id") -> None:
    """A requester acts for a requesting organization, a provider for a providing one (one that does
    both may have both); the secretariat's roles belong to no organization's kind."""
    if role not in ROLES:
        raise InvalidInput(_("Role must be one of {roles}.", roles=", ".join(ROLES)), field="role")
    if role in SECRETARIAT_ROLES:
        return
    if organization_id is None:
        message = _("Choose the organization: a requester belongs to one.") if role == "requester" else _(
            "Choose the organization: a provider belongs to one.")
        raise InvalidInput(message, field=field)
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise InvalidInput(_("No organization has the id {id}.", id=organization_id), field=field)
    if role == "requester" and not organization.may_request:
        raise InvalidInput(_("Choose another role: {name} does not request expertise, so it has no requesters.",
                             name=organization.name), field="role")
    if role == "provider" and not organization.may_provide:
        raise InvalidInput(_("Choose another role: {name} does not provide expertise, so it has no providers.",
                             name=organization.name), field="role")


def set_password(session: Session, *, user_id: int, password: str) -> None:
    """A new password; every session signed in before it ends (the users_session_version trigger)."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(_("No user has the id {id}.", id=user_id))
    if problem := password_problem(password, email=user.email):
        raise InvalidInput(problem, field="password")
    user.password_hash = hash_password(password)


def get_user_by_email(session: Session, *, email: str) -> User:
    user = session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise NotFound(_("No user has the e-mail {email}.", email=email), field="email")
    return user


def new_token(
    session: Session, *, user_id: int, name: str = "cli", expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a bearer token: its row, and the plain value, returned once and never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user_id, name=name, token_hash=digest(token), expires_at=expires_at)
    session.add(row)
    return row, token


def issue_token(session: Session, *, user_id: int, name: str = "cli", expires_at: datetime | None = None) -> str:
    return new_token(session, user_id=user_id, name=name, expires_at=expires_at)[1]


def actor_for_token(session: Session, *, token: str, now: datetime | None = None) -> Actor | None:
    """Who the token speaks for, unless it is unknown, revoked, expired or its user deactivated."""
    now = now or datetime.now(UTC)
    row = session.execute(
        sa.select(ApiToken.id, ApiToken.last_used_at, User.id, User.role, User.organization_id, User.email,
                  User.is_focal_point)
        .join(User, User.id == ApiToken.user_id)
        .where(
            ApiToken.token_hash == digest(token), ApiToken.revoked_at.is_(None),
            sa.or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > now), User.is_active,
        )
    ).first()
    if row is None:
        return None
    token_id, last_used_at, user_id, role, organization_id, email, is_focal_point = row
    if last_used_at is None or last_used_at <= now - LAST_USE_PRECISION:
        record_last_use(session, token_id=token_id, now=now)
    return Actor(user_id=user_id, role=role, organization_id=organization_id, email=email,
                 is_focal_point=is_focal_point)


def record_last_use(session: Session, *, token_id: int, now: datetime) -> None:
    """Note the token's use, outside the request's transaction, committed at once.

    Bookkeeping, not a change the request makes: a GET stays a read, and a request that fails still
    counts as a use. On a connection of its own, the row lock lasts one statement; SKIP LOCKED
    means it never waits (another request is noting the same use, or the token is being revoked).
    The condition is repeated in the statement so that workers racing each other write once.
    """
    stale = sa.or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= now - LAST_USE_PRECISION)
    claimed = (
        sa.select(ApiToken.id).where(ApiToken.id == token_id, stale)
        .with_for_update(skip_locked=True).scalar_subquery()
    )
    with session.get_bind().engine.connect() as connection:
        connection.execute(sa.update(ApiToken).where(ApiToken.id == claimed).values(last_used_at=now))
        connection.commit()
