"""Signing in with an e-mail and password: checking credentials, the rate limit, and session users.

No web imports: the view passes the client's address and keeps the session cookie itself.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.auth.actor import Actor
from capmatch.auth.models import LoginAttempt, User
from capmatch.auth.passwords import hash_password, verify_password
from capmatch.notifications.models import Notification

WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_ADDRESS = 20


@dataclass(frozen=True)
class LoginResult:
    """What an attempt came to: an actor, or a message to show and whether it was throttled."""

    actor: Actor | None = None
    session_tag: str = ""
    error: str | None = None
    throttled: bool = False


@dataclass(frozen=True)
class SessionUser:
    actor: Actor
    full_name: str
    unread_notifications: int


def session_tag(password_hash: str) -> str:
    """A short fingerprint of the password hash kept in the session cookie.

    Changing the password changes it, so every session signed in with the old one ends.
    """
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


_dummy_hash: str | None = None


def _burn_time(password: str) -> None:
    # An unknown e-mail costs as much as a wrong password, so timing does not reveal who has an account.
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = hash_password("not-a-real-password")
    verify_password(_dummy_hash, password)


def is_throttled(session: Session, *, email: str, address: str, now: datetime | None = None) -> bool:
    since = (now or datetime.now(UTC)) - WINDOW
    by_email, by_address = session.execute(
        sa.select(
            sa.func.count().filter(LoginAttempt.email == email),
            sa.func.count().filter(LoginAttempt.address == address),
        ).where(LoginAttempt.attempted_at >= since, sa.or_(LoginAttempt.email == email,
                                                           LoginAttempt.address == address))
    ).one()
    return by_email >= MAX_FAILURES_PER_EMAIL or by_address >= MAX_FAILURES_PER_ADDRESS


def authenticate(session: Session, *, email: str, password: str, address: str) -> LoginResult:
    """Check the credentials; a failure is recorded (the caller commits it) and counts toward the limit."""
    email = email.strip().lower()[:254]
    address = (address or "unknown")[:64]
    if not email or not password:
        return LoginResult(error="Enter your e-mail address and your password.")
    # Serializes attempts on one e-mail across workers, so a burst of parallel guesses cannot
    # all pass the count before any failure is written. Held until the request commits.
    session.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext("login:" + email))))
    if is_throttled(session, email=email, address=address):
        return LoginResult(
            error="Too many failed sign-in attempts. Wait 15 minutes, then try again.", throttled=True
        )
    user = session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        _burn_time(password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password) and user.is_active
    if not ok:
        session.add(LoginAttempt(email=email, address=address))
        return LoginResult(error="The e-mail address or the password is not right.")
    # A person who finally gets it right starts afresh; the per-address count still stands.
    session.execute(sa.delete(LoginAttempt).where(LoginAttempt.email == email))
    user.last_login_at = datetime.now(UTC)
    return LoginResult(
        actor=Actor(user_id=user.id, role=user.role, organization_id=user.organization_id, email=user.email),
        session_tag=session_tag(user.password_hash),
    )


# Built once: every request runs it, and building a select (and its cache key) each time cost
# more than running it. A statement object memoizes its cache key; only the parameters change.
_SESSION_USER = sa.select(
    User.id, User.role, User.organization_id, User.email, User.full_name, User.password_hash,
    sa.select(sa.func.count())
    .where(Notification.user_id == User.id, Notification.read_at.is_(None))
    .scalar_subquery(),
).where(User.id == sa.bindparam("user_id"), User.is_active)


def session_user(session: Session, *, user_id: int, tag: str) -> SessionUser | None:
    """The signed-in person a session cookie names, if they are still active with the same password."""
    # Through the session's connection: plain columns, and the ORM's execution path around a
    # select run on every request cost a third again as much as the select.
    row = session.connection().execute(_SESSION_USER, {"user_id": user_id}).first()
    if row is None or session_tag(row.password_hash) != tag:
        return None
    actor = Actor(user_id=row.id, role=row.role, organization_id=row.organization_id, email=row.email)
    return SessionUser(actor=actor, full_name=row.full_name, unread_notifications=row[-1] or 0)
