"""In-app notifications: written in the caller's transaction, so a change and its notice stand or fall together.

E-mail goes out later, from committed rows only (see capmatch.notifications.mail): a message is
never sent about a change that then rolled back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.auth.actor import Actor, require_actor
from capmatch.auth.models import User
from capmatch.i18n import DEFAULT, use
from capmatch.notifications.models import Notification
from capmatch.notifications.preferences import in_app_only
from capmatch.pagination import PageRequest, fetch_page

SUBJECT_MAX = 200


Words = str | Callable[[], str]


def notify(
    session: Session, *, user_ids: Iterable[int], subject: Words, body: Words = "", link: str | None = None,
    kind: str | None = None,
) -> list[Notification]:
    """One notification per distinct user (inactive users are skipped: nobody would read it).

    A notice is written in each recipient's language: pass `subject` and `body` as functions that
    write them (with gettext), called once per language among the recipients.
    `kind` is one of NOTIFICATION_KINDS, whose e-mail each person may switch off on their profile;
    a notice of no kind is always e-mailed.
    """
    ids = sorted(set(user_ids))
    if not ids:
        return []
    active = session.execute(
        sa.select(User.id, User.language).where(User.id.in_(ids), User.is_active.is_(True)).order_by(User.id)
    ).all()
    app_only = in_app_only(session, user_ids=[user_id for user_id, _ in active], kind=kind)
    # A person who chose no language reads notices in English (an e-mail cannot ask their browser).
    languages = {user_id: language or DEFAULT for user_id, language in active}
    written: dict[str, tuple[str, str]] = {}
    for language in sorted(set(languages.values())):
        with use(language):
            written[language] = (subject() if callable(subject) else subject, body() if callable(body) else body)
    rows = [
        Notification(user_id=user_id, subject=written[language][0][:SUBJECT_MAX], body=written[language][1],
                     link=link, kind=kind, email_wanted=user_id not in app_only)
        for user_id, language in languages.items()
    ]
    session.add_all(rows)
    return rows


def users_of_organization(session: Session, *, organization_id: int, role: str | None = None) -> list[int]:
    stmt = sa.select(User.id).where(User.organization_id == organization_id, User.is_active.is_(True))
    if role is not None:
        stmt = stmt.where(User.role == role)
    return list(session.scalars(stmt.order_by(User.id)))


def officers(session: Session) -> list[int]:
    """Matching officers: the people who act on proposals for the secretariat (not administrators)."""
    return list(
        session.scalars(sa.select(User.id).where(User.role == "officer", User.is_active.is_(True)).order_by(User.id))
    )


def list_notifications(
    session: Session, *, actor: Actor | None, page: PageRequest, unread_only: bool = False
) -> tuple[list[Notification], int]:
    """The signed-in user's notifications, newest first."""
    actor = require_actor(actor)
    stmt = sa.select(Notification).where(Notification.user_id == actor.user_id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    return fetch_page(session, stmt.order_by(Notification.created_at.desc(), Notification.id.desc()), page)


def unread_count(session: Session, *, actor: Actor | None) -> int:
    actor = require_actor(actor)
    return session.scalar(
        sa.select(sa.func.count())
        .select_from(Notification)
        .where(Notification.user_id == actor.user_id, Notification.read_at.is_(None))
    ) or 0


def mark_read(
    session: Session, *, actor: Actor | None, notification_ids: Iterable[int] | None = None,
    now: datetime | None = None,
) -> int:
    """Mark some (or, with None, all) of the user's unread notifications read; returns how many.

    Ids of other users' notifications are ignored rather than refused: whether they exist is
    none of this user's business.
    """
    actor = require_actor(actor)
    stmt = sa.update(Notification).where(Notification.user_id == actor.user_id, Notification.read_at.is_(None))
    if notification_ids is not None:
        ids = list(set(notification_ids))
        if not ids:
            return 0
        stmt = stmt.where(Notification.id.in_(ids))
    result = session.execute(
        stmt.values(read_at=now or datetime.now(UTC)), execution_options={"synchronize_session": False}
    )
    return result.rowcount
