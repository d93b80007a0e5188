"""Signing in with an e-mail and password: checking credentials, the throttle, and session users.

No web imports: the view passes the client's address and keeps the session cookie itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.auth import throttle
from capmatch.auth.actor import Actor
from capmatch.auth.models import User
from capmatch.auth.passwords import hash_password, verify_password
from capmatch.i18n import _
from capmatch.notifications.models import Notification


@dataclass(frozen=True)
class LoginResult:
    """What an attempt came to: an actor and their session version, or a message to show.

    retry_after is set (seconds) when the attempt was throttled rather than checked.
    """

    actor: Actor | None = None
    session_version: int = 0
    error: str | None = None
    retry_after: int | None = None


@dataclass(frozen=True)
class SessionUser:
    actor: Actor
    full_name: str
    unread_notifications: int
    language: str | None = None  # none chosen: the browser's


_dummy_hash: str | None = None


def _burn_time(password: str) -> None:
    # An unknown e-mail costs as much as a wrong password, so timing does not reveal who has an account.
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = hash_password("not-a-real-password")
    verify_password(_dummy_hash, password)


def authenticate(session: Session, *, email: str, password: str, address: str) -> LoginResult:
    """Check the credentials; a failure is recorded (the caller commits it) and counts toward the throttle."""
    email = email.strip().lower()[:254]
    address = (address or "unknown")[:64]
    if not email or not password:
        return LoginResult(error=_("Enter your e-mail address and your password."))
    # Serializes attempts on one account from one address across workers, so a burst of parallel
    # guesses cannot all pass the count before any failure is written. Held until the request
    # commits; the owner signing in from elsewhere never waits behind it.
    lock_key = sa.func.hashtext(f"login:{email} {address}")
    session.execute(sa.select(sa.func.pg_advisory_xact_lock(lock_key)))
    wait = throttle.wait_before_attempt(session, email=email, address=address)
    if wait is not None:
        return LoginResult(error=wait.message, retry_after=wait.seconds)
    # populate_existing: the session version handed out must be the one in the row now.
    user = session.scalar(sa.select(User).where(User.email == email).execution_options(populate_existing=True))
    if user is None:
        _burn_time(password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password) and user.is_active
    if not ok:
        throttle.record_failure(session, email=email, address=address)
        return LoginResult(error=_("The e-mail address or the password is not right."))
    # A person who finally gets it right starts afresh here; the address's count still stands.
    throttle.forget_failures(session, email=email, address=address)
    user.last_login_at = datetime.now(UTC)
    return LoginResult(
        actor=Actor(user_id=user.id, role=user.role, organization_id=user.organization_id, email=user.email,
                    is_focal_point=user.is_focal_point),
        session_version=user.session_version,
    )


def end_sessions(session: Session, *, user_id: int) -> None:
    """Signing out: every session cookie issued to this user so far stops being good, copies included."""
    session.execute(
        sa.update(User).where(User.id == user_id).values(session_version=User.session_version + 1)
    )


# Built once: every request runs it, and building a select (and its cache key) each time cost
# more than running it. A statement object memoizes its cache key; only the parameters change.
_SESSION_USER = sa.select(
    User.id, User.role, User.organization_id, User.email, User.full_name, User.is_focal_point, User.language,
    sa.select(sa.func.count())
    .where(Notification.user_id == User.id, Notification.read_at.is_(None))
    .scalar_subquery(),
).where(User.id == sa.bindparam("user_id"), User.session_version == sa.bindparam("version"), User.is_active)


def session_user(session: Session, *, user_id: int, version: int) -> SessionUser | None:
    """The signed-in person a session cookie names, if they are active and the session has not ended.

    A session ends when the user's session_version moves past the one in the cookie: on signing
    out, a password change or a deactivation.
    """
    # Through the session's connection: plain columns, and the ORM's execution path around a
    # select run on every request cost a third again as much as the select.
    row = session.connection().execute(_SESSION_USER, {"user_id": user_id, "version": version}).first()
    if row is None:
        return None
    actor = Actor(user_id=row.id, role=row.role, organization_id=row.organization_id, email=row.email,
                  is_focal_point=row.is_focal_point)
    return SessionUser(actor=actor, full_name=row.full_name, unread_notifications=row[-1] or 0,
                       language=row.language)
