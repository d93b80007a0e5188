"""How often "forgot password" may be asked: a cap per e-mail address and a cap per network address.

The login throttle's approach (capmatch.auth.throttle): requests live in PostgreSQL, so every web
worker sees the same counts, and each is counted by the address typed, whether or not it has an
account, so being throttled says nothing about who has one. The per-e-mail cap keeps anyone from
filling a person's mailbox with reset links; the per-network cap keeps one client from trying many.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.accounts.models import ResetRequest
from capmatch.auth.throttle import Wait, _seconds
from capmatch.i18n import ngettext

WINDOW = timedelta(hours=1)
MAX_PER_EMAIL = 3
MAX_PER_ADDRESS = 10


class ResetWait(Wait):
    @property
    def message(self) -> str:
        minutes = max(1, round(self.seconds / 60))
        if self.per_address:
            return ngettext("Too many password reset requests from your network. Try again in {count} minute.",
                            "Too many password reset requests from your network. Try again in {count} minutes.",
                            minutes)
        return ngettext("Too many password reset requests for this address. Try again in {count} minute.",
                        "Too many password reset requests for this address. Try again in {count} minutes.",
                        minutes)


def wait_before_request(session: Session, *, email: str, address: str) -> ResetWait | None:
    """None if a reset may be requested now, else how long to wait; a request let through is recorded."""
    # Serializes requests for one e-mail address across workers, so a burst cannot all pass the count.
    session.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(f"reset:{email}"))))
    now = sa.func.now()
    recent = ResetRequest.requested_at >= now - WINDOW
    by_email, first_by_email, by_address, first_by_address, db_now = session.execute(
        sa.select(
            sa.func.count().filter(ResetRequest.email == email),
            sa.func.min(ResetRequest.requested_at).filter(ResetRequest.email == email),
            sa.func.count().filter(ResetRequest.address == address),
            sa.func.min(ResetRequest.requested_at).filter(ResetRequest.address == address),
            now,
        ).where(recent, sa.or_(ResetRequest.email == email, ResetRequest.address == address))
    ).one()
    if by_address >= MAX_PER_ADDRESS:
        return ResetWait(seconds=_seconds(first_by_address + WINDOW - db_now), per_address=True)
    if by_email >= MAX_PER_EMAIL:
        return ResetWait(seconds=_seconds(first_by_email + WINDOW - db_now), per_address=False)
    session.add(ResetRequest(email=email, address=address))
    return None


def delete_expired_requests(session: Session) -> int:
    result = session.execute(sa.delete(ResetRequest).where(ResetRequest.requested_at < sa.func.now() - WINDOW))
    return result.rowcount
