"""Which kinds of event a person hears of by e-mail as well as in the app.

No row is the default, e-mail too. The choice is read when a notice is written (it sets the notice's
email_wanted, which the mail job obeys), and switching a kind off also holds back that person's notices
of the kind still waiting for the mail job: turning e-mail off takes effect at once, and turning it
back on mails only what comes next, never what was held back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from capmatch.errors import InvalidInput
from capmatch.notifications.models import NOTIFICATION_KINDS, Notification, NotificationPreference


def email_choices(session: Session, *, user_id: int) -> dict[str, bool]:
    """Every kind of event, and whether this person wants it e-mailed."""
    chosen = dict(session.execute(
        sa.select(NotificationPreference.kind, NotificationPreference.email)
        .where(NotificationPreference.user_id == user_id)
    ).all())
    return {kind: chosen.get(kind, True) for kind in NOTIFICATION_KINDS}


def set_email_choices(session: Session, *, user_id: int, choices: Mapping[str, bool]) -> dict[str, bool]:
    """Store the person's choices; returns those that changed (kind -> the new choice)."""
    unknown = set(choices) - set(NOTIFICATION_KINDS)
    if unknown:
        raise InvalidInput(f"There is no kind of event called {sorted(unknown)[0]}.", field="email_kinds")
    before = email_choices(session, user_id=user_id)
    changed = {kind: wanted for kind, wanted in choices.items() if before[kind] != wanted}
    if changed:
        stmt = insert(NotificationPreference).values(
            [{"user_id": user_id, "kind": kind, "email": wanted} for kind, wanted in changed.items()]
        )
        session.execute(stmt.on_conflict_do_update(
            index_elements=["user_id", "kind"], set_={"email": stmt.excluded.email}))
    switched_off = [kind for kind, wanted in changed.items() if not wanted]
    if switched_off:
        session.execute(
            sa.update(Notification).where(
                Notification.user_id == user_id, Notification.kind.in_(switched_off),
                Notification.emailed_at.is_(None), Notification.email_wanted.is_(True))
            .values(email_wanted=False),
            execution_options={"synchronize_session": False},
        )
    return changed


def in_app_only(session: Session, *, user_ids: Iterable[int], kind: str | None) -> set[int]:
    """Of these people, those who want this kind of event in the app only."""
    ids = set(user_ids)
    if kind is None or not ids:
        return set()
    return set(session.scalars(
        sa.select(NotificationPreference.user_id).where(
            NotificationPreference.user_id.in_(ids), NotificationPreference.kind == kind,
            NotificationPreference.email.is_(False))
    ))
