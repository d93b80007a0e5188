"""How fast one address may guess passwords: growing delays per (account, address), a cap per address.

Only failures count, and each where it came from. A guesser slows down only their own address (and
whoever shares it), never the account's owner signing in from somewhere else; so wrong passwords
cannot lock anyone out. The failures live in PostgreSQL, so every web worker sees the same counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.auth.models import LoginAttempt
from capmatch.i18n import ngettext

WINDOW = timedelta(minutes=15)
# Typing slips: the first few failures for an account from an address cost no wait.
FREE_FAILURES_PER_ACCOUNT = 5
# Then each failure doubles the wait before the next try (1 s, 2 s, 4 s, ...), up to the window.
FIRST_DELAY = timedelta(seconds=1)
# However many accounts one address tries, it gets this many failures per window.
MAX_FAILURES_PER_ADDRESS = 20


@dataclass(frozen=True)
class Wait:
    """A throttled attempt: why, and how long until the next one is heard."""

    seconds: int
    per_address: bool

    @property
    def message(self) -> str:
        if self.seconds >= 120:
            minutes = math.ceil(self.seconds / 60)
            if self.per_address:
                return ngettext("Too many failed sign-in attempts from your network. Try again in {count} minute.",
                                "Too many failed sign-in attempts from your network. Try again in {count} minutes.",
                                minutes)
            return ngettext(
                "Too many failed sign-in attempts for this account from your network. Try again in {count} minute.",
                "Too many failed sign-in attempts for this account from your network. Try again in {count} minutes.",
                minutes)
        if self.per_address:
            return ngettext("Too many failed sign-in attempts from your network. Try again in {count} second.",
                            "Too many failed sign-in attempts from your network. Try again in {count} seconds.",
                            self.seconds)
        return ngettext(
            "Too many failed sign-in attempts for this account from your network. Try again in {count} second.",
            "Too many failed sign-in attempts for this account from your network. Try again in {count} seconds.",
            self.seconds)


def delay_after(failures: int) -> timedelta:
    """How long an (account, address) waits after this many failures in the window."""
    if failures < FREE_FAILURES_PER_ACCOUNT:
        return timedelta(0)
    return min(FIRST_DELAY * 2 ** (failures - FREE_FAILURES_PER_ACCOUNT), WINDOW)


def wait_before_attempt(session: Session, *, email: str, address: str) -> Wait | None:
    """None if this attempt may be checked now; else how long to wait. Times are the database's."""
    pair = LoginAttempt.email == email
    now = sa.func.now()
    by_pair, last_by_pair, by_address, first_by_address, db_now = session.execute(
        sa.select(
            sa.func.count().filter(pair),
            sa.func.max(LoginAttempt.attempted_at).filter(pair),
            sa.func.count(),
            sa.func.min(LoginAttempt.attempted_at),
            now,
        ).where(LoginAttempt.address == address, LoginAttempt.attempted_at >= now - WINDOW)
    ).one()
    if by_address >= MAX_FAILURES_PER_ADDRESS:
        # Throttled attempts are not recorded, so the count falls once the oldest failure ages out.
        return Wait(seconds=_seconds(first_by_address + WINDOW - db_now), per_address=True)
    if by_pair:
        ready_at = last_by_pair + delay_after(by_pair)
        if ready_at > db_now:
            return Wait(seconds=_seconds(ready_at - db_now), per_address=False)
    return None


def _seconds(delta: timedelta) -> int:
    return max(1, math.ceil(delta.total_seconds()))


def record_failure(session: Session, *, email: str, address: str) -> None:
    session.add(LoginAttempt(email=email, address=address))


def forget_failures(session: Session, *, email: str, address: str) -> None:
    """After a success from this address; the address's count toward its cap still stands."""
    session.execute(sa.delete(LoginAttempt).where(LoginAttempt.address == address, LoginAttempt.email == email))


def delete_expired_attempts(session: Session) -> int:
    """Failures older than the window count for nothing: the periodic job clears them away."""
    result = session.execute(sa.delete(LoginAttempt).where(LoginAttempt.attempted_at < sa.func.now() - WINDOW))
    return result.rowcount
