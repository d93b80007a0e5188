"""API tokens people manage themselves: create one with an expiry, list, revoke; the administrator sees all.

The token itself is checked in capmatch.auth.service.actor_for_token; this module is the
account-holder's side of it. The plain value exists once, in create_token's answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.audit.service import record
from capmatch.auth.actor import Actor, require_actor, require_admin
from capmatch.auth.models import ApiToken, User
from capmatch.auth.service import new_token
from capmatch.errors import CapmatchError, Conflict, Forbidden, NotFound, Problems, problems_of
from capmatch.i18n import _
from capmatch.organizations.models import Organization
from capmatch.pagination import PageRequest, fetch_page

# A token made in the interface or the API always ends: these are the lifetimes one may choose.
EXPIRY_DAYS = (30, 90, 365)
DEFAULT_EXPIRY_DAYS = 90
NAME_MAX = 80


@dataclass(frozen=True)
class TokenRow:
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None
    user_id: int
    user_email: str
    organization_id: int | None
    organization_name: str | None
    status: str  # active, expired or revoked
    organization_acronym: str | None = None  # the admin's list shows it in place of the name


def _status(token: ApiToken, now: datetime) -> str:
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at is not None and token.expires_at <= now:
        return "expired"
    return "active"


def _rows(session: Session, stmt: sa.Select, page: PageRequest, now: datetime) -> tuple[list[TokenRow], int]:
    rows, total = fetch_page(session, stmt, page)
    return [
        TokenRow(t.id, t.name, t.created_at, t.last_used_at, t.expires_at, t.revoked_at, t.user_id, email,
                 org_id, org_name, _status(t, now), acronym)
        for t, email, org_id, org_name, acronym in rows
    ], total


def _select() -> sa.Select:
    return (
        sa.select(ApiToken, User.email, User.organization_id, Organization.name, Organization.acronym)
        .join(User, User.id == ApiToken.user_id)
        .outerjoin(Organization, Organization.id == User.organization_id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )


def _live(now: datetime):
    return sa.and_(ApiToken.revoked_at.is_(None), sa.or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > now))


def list_own_tokens(
    session: Session, *, actor: Actor | None, page: PageRequest, active_only: bool = False,
    now: datetime | None = None,
) -> tuple[list[TokenRow], int]:
    """The signed-in person's tokens, newest first, ended ones included unless `active_only`."""
    actor = require_actor(actor)
    now = now or datetime.now(UTC)
    stmt = _select().where(ApiToken.user_id == actor.user_id)
    if active_only:
        stmt = stmt.where(_live(now))
    return _rows(session, stmt, page, now)


def list_all_tokens(
    session: Session, *, actor: Actor | None, page: PageRequest, organization_id: int | None = None,
    user_id: int | None = None, active_only: bool = False, now: datetime | None = None,
) -> tuple[list[TokenRow], int]:
    """Every user's tokens, for the administrator; filtered by organization or user."""
    require_admin(actor)
    now = now or datetime.now(UTC)
    stmt = _select()
    if organization_id is not None:
        stmt = stmt.where(User.organization_id == organization_id)
    if user_id is not None:
        stmt = stmt.where(ApiToken.user_id == user_id)
    if active_only:
        stmt = stmt.where(_live(now))
    return _rows(session, stmt, page, now)


def create_token(
    session: Session, *, actor: Actor | None, name: str, expires_in_days: int, now: datetime | None = None
) -> tuple[TokenRow, str]:
    """A new token for the actor: its row, and the secret, which nobody can read again."""
    actor = require_actor(actor)
    now = now or datetime.now(UTC)
    name = _checked_name(session, actor, name, expires_in_days, now)
    token, secret = new_token(session, user_id=actor.user_id, name=name,
                              expires_at=now + timedelta(days=expires_in_days))
    session.flush()  # the id and created_at the answer shows and the audit event names
    record(session, actor=actor, entity_type="api_token", entity_id=token.id, action="create",
           data={"name": name, "user_id": actor.user_id, "expires_at": token.expires_at.isoformat()})
    return get_token(session, actor=actor, token_id=token.id, now=now), secret


def _checked_name(session: Session, actor: Actor, name: str, expires_in_days: int | None, now: datetime) -> str:
    """The token's name, stripped, once every check passed: one InvalidInput carries all that failed."""
    problems = Problems()
    name = name.strip()
    if not name:
        problems.add(_("Give the token a name, to recognise it by later."), field="name")
    elif len(name) > NAME_MAX:
        problems.add(_("Shorten the name to {count} characters at most.", count=NAME_MAX), field="name")
    elif session.scalar(
        sa.select(ApiToken.id).where(ApiToken.user_id == actor.user_id, ApiToken.name == name, _live(now))
    ) is not None:
        problems.found.append(Conflict(_("You already have a token called {name}: choose another name.", name=name),
                                       field="name"))
    if expires_in_days not in EXPIRY_DAYS:
        problems.add(_("Choose {days} days.", days=", ".join(map(str, EXPIRY_DAYS))), field="expires_in_days")
    problems.raise_any()
    return name


def token_problems(session: Session, *, actor: Actor | None, name: str,
                   expires_in_days: int | None) -> list[CapmatchError]:
    """What is wrong with a new token's name and lifetime (a name in use), without writing anything:
    a form shows these with its other errors in one answer."""
    actor = require_actor(actor)
    return problems_of(lambda: _checked_name(session, actor, name, expires_in_days, datetime.now(UTC)))


def get_token(session: Session, *, actor: Actor | None, token_id: int, now: datetime | None = None) -> TokenRow:
    actor = require_actor(actor)
    rows, _total = _rows(session, _select().where(ApiToken.id == token_id), PageRequest(1, 1), now or datetime.now(UTC))
    if not rows:
        raise NotFound(_("No API token has the id {id}.", id=token_id))
    if rows[0].user_id != actor.user_id and actor.role != "admin":
        raise Forbidden(_("This API token is not yours."))
    return rows[0]


def revoke_token(session: Session, *, actor: Actor | None, token_id: int, now: datetime | None = None) -> TokenRow:
    """The owner or the administrator ends a token at once; revoking it again changes nothing."""
    actor = require_actor(actor)
    token = session.scalar(sa.select(ApiToken).where(ApiToken.id == token_id).with_for_update())
    if token is None:
        raise NotFound(_("No API token has the id {id}.", id=token_id))
    if token.user_id != actor.user_id and actor.role != "admin":
        raise Forbidden(_("This API token is not yours."))
    now = now or datetime.now(UTC)
    if token.revoked_at is None:
        was = _status(token, now)
        token.revoked_at = now
        record(session, actor=actor, entity_type="api_token", entity_id=token.id, action="revoke",
               from_state=was, to_state="revoked", data={"name": token.name, "user_id": token.user_id})
        session.flush()  # the revocation is what get_token reads back
    return get_token(session, actor=actor, token_id=token.id, now=now)
