"""Passwords forgotten and changed, and e-mail addresses changed, through one-time links.

Setting a password moves the user's session version on (the users_session_version trigger), so
every session signed in before ends; the caller signs the person's own session in again with the
version returned. Each change is e-mailed to the person and recorded in the audit trail.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.accounts import emails
from capmatch.accounts.invitations import SignedIn, normalize_email, signed_in_as
from capmatch.accounts.links import LinkRefused, LinkState, new_link, verified_digest
from capmatch.accounts.models import AccountLink, Invitation
from capmatch.accounts.outbox import link_url, queue_email
from capmatch.accounts.throttle import ResetWait, wait_before_request
from capmatch.audit.service import record
from capmatch.auth.actor import Actor, require_actor
from capmatch.auth.models import User
from capmatch.auth.passwords import verify_password
from capmatch.auth.service import set_password
from capmatch.config import get_settings
from capmatch.errors import CapmatchError, Conflict, InvalidInput, NotFound, Problems, problems_of
from capmatch.i18n import _, use

RESET_PATH = "/password/reset/"
EMAIL_CONFIRM_PATH = "/account/email/confirm/"


def _expiry() -> datetime:
    return datetime.now(UTC) + timedelta(minutes=get_settings().account_link_expiry_minutes)


def request_reset(session: Session, *, email: str, address: str) -> ResetWait | None:
    """Mail a reset link if the address has an active account; the same answer either way.

    Returns a wait when throttled. The link goes out only to an active account, but the request is
    counted whatever the address, so neither the answer nor the throttle tells who has one.
    """
    email = email.strip().lower()[:254]
    wait = wait_before_request(session, email=email, address=(address or "unknown")[:64])
    if wait is not None:
        return wait
    user = session.scalar(sa.select(User).where(User.email == email, User.is_active))
    if user is None:
        return None
    link = new_link("password_reset")
    row = AccountLink(purpose="password_reset", user_id=user.id, token_digest=link.digest, expires_at=_expiry())
    session.add(row)
    with use(user.language):  # the person's own language, whatever the page asking for the link speaks
        subject, body = emails.password_reset(link=link_url(RESET_PATH + link.token), expires_at=row.expires_at)
    queue_email(session, to=user.email, subject=subject, body=body)
    record(session, actor=None, entity_type="user", entity_id=user.id, action="password_reset_requested")
    return None


def usable_link(session: Session, *, purpose: str, token: str, lock: bool = False) -> AccountLink:
    found = verified_digest(purpose, token)
    if found is None:
        raise LinkRefused(LinkState.INVALID)
    stmt = sa.select(AccountLink).where(AccountLink.token_digest == found, AccountLink.purpose == purpose)
    link = session.scalar(stmt.with_for_update() if lock else stmt)
    if link is None:
        raise LinkRefused(LinkState.INVALID)
    if link.used_at is not None:
        raise LinkRefused(LinkState.USED)
    if link.expires_at <= datetime.now(UTC):
        raise LinkRefused(LinkState.EXPIRED)
    user = session.get(User, link.user_id)
    if user is None or not user.is_active:
        raise LinkRefused(LinkState.INVALID)
    return link


def _use_up(session: Session, *, user_id: int, purpose: str) -> None:
    """Every unused link of this kind for the user stops working: an older reset link is no back door."""
    session.execute(
        sa.update(AccountLink).where(AccountLink.user_id == user_id, AccountLink.purpose == purpose,
                                     AccountLink.used_at.is_(None)).values(used_at=sa.func.now())
    )


def _new_password(session: Session, *, user: User, password: str, action: str) -> SignedIn:
    set_password(session, user_id=user.id, password=password)
    session.flush()
    session.refresh(user, ["session_version"])  # moved on by the trigger
    _use_up(session, user_id=user.id, purpose="password_reset")
    with use(user.language):
        subject, body = emails.password_changed(action=action)
    queue_email(session, to=user.email, subject=subject, body=body)
    signed = signed_in_as(user)
    record(session, actor=signed.actor, entity_type="user", entity_id=user.id, action=action)
    return signed


def reset_password(session: Session, *, token: str, password: str) -> SignedIn:
    link = usable_link(session, purpose="password_reset", token=token, lock=True)
    user = session.get(User, link.user_id)
    assert user is not None
    return _new_password(session, user=user, password=password, action="password_reset")


def _own_account(session: Session, actor: Actor | None) -> User:
    """The signed-in person's account."""
    actor = require_actor(actor)
    user = session.get(User, actor.user_id)
    if user is None:
        raise NotFound(_("Your account no longer exists."))
    return user


def _check_current(user: User, current_password: str, problems: Problems) -> bool:
    """Whether the person typed their password again (and, if not, the problem on its field)."""
    if verify_password(user.password_hash, current_password):
        return True
    problems.add(_("This is not your current password."), field="current_password")
    return False


def current_password_problems(session: Session, *, actor: Actor | None, current: str) -> list[CapmatchError]:
    """Whether `current` is the person's password, for a form that has other problems to show with it."""
    problems = Problems()
    _check_current(_own_account(session, actor), current, problems)
    return problems.found


def change_password(session: Session, *, actor: Actor | None, current: str, password: str) -> SignedIn:
    user = _own_account(session, actor)
    problems = Problems()
    if _check_current(user, current, problems) and current == password:
        problems.add(_("Choose a password other than your current one."), field="password")
    problems.raise_any()
    return _new_password(session, user=user, password=password, action="password_change")


def _email_taken(session: Session, email: str, *, field: str) -> None:
    if session.scalar(sa.select(User.id).where(User.email == email)) is not None:
        raise Conflict(_("{email} is already used by another account.", email=email), field=field)
    if session.scalar(sa.select(Invitation.id).where(
            Invitation.email == email, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))):
        raise Conflict(_("{email} has an open invitation; it cannot be used for another account.", email=email),
                       field=field)


def _new_address(session: Session, user: User, new_email: str) -> str:
    email = normalize_email(new_email, field="new_email")
    if email == user.email:
        raise InvalidInput(_("This is already your e-mail address: enter the new one."), field="new_email")
    _email_taken(session, email, field="new_email")
    return email


def new_address_problems(session: Session, *, actor: Actor | None, new_email: str) -> list[CapmatchError]:
    """What is wrong with a new address, for a form that has other problems to show with it."""
    user = _own_account(session, actor)
    return problems_of(lambda: _new_address(session, user, new_email))


def request_email_change(session: Session, *, actor: Actor | None, new_email: str, password: str) -> AccountLink:
    """Mail a confirmation link to the new address (and a notice to the old one); nothing changes until it is used."""
    user = _own_account(session, actor)
    problems = Problems()
    _check_current(user, password, problems)
    email = ""
    with problems.check():
        email = _new_address(session, user, new_email)
    problems.raise_any()
    _use_up(session, user_id=user.id, purpose="email_change")
    link = new_link("email_change")
    row = AccountLink(purpose="email_change", user_id=user.id, new_email=email, token_digest=link.digest,
                      expires_at=_expiry())
    session.add(row)
    with use(user.language):
        confirm = emails.email_change_confirm(old_email=user.email, link=link_url(EMAIL_CONFIRM_PATH + link.token),
                                              expires_at=row.expires_at)
        notice = emails.email_change_notice(new_email=email)
    queue_email(session, to=email, subject=confirm[0], body=confirm[1])
    queue_email(session, to=user.email, subject=notice[0], body=notice[1])
    record(session, actor=signed_in_as(user).actor, entity_type="user", entity_id=user.id,
           action="email_change_requested",
           data={"new_email": email})
    return row


def pending_email(session: Session, *, token: str) -> str:
    """The address a confirmation link would make the account's (a read: nothing changes)."""
    link = usable_link(session, purpose="email_change", token=token)
    return link.new_email or ""


def confirm_email_change(session: Session, *, token: str) -> User:
    link = usable_link(session, purpose="email_change", token=token, lock=True)
    user = session.scalar(sa.select(User).where(User.id == link.user_id).with_for_update())
    assert user is not None and link.new_email
    _email_taken(session, link.new_email, field="new_email")
    old = user.email
    user.email = link.new_email
    link.used_at = datetime.now(UTC)
    with use(user.language):
        subject, body = emails.email_changed(new_email=user.email)
    queue_email(session, to=old, subject=subject, body=body)
    record(session, actor=signed_in_as(user).actor, entity_type="user", entity_id=user.id, action="email_change",
           data={"from": old, "to": user.email})
    return user
