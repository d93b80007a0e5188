"""Background tasks of signing in."""

from __future__ import annotations

from capmatch.jobs.app import tasks


# Every five minutes: failures older than the throttle's window count for nothing; this keeps the
# table at what the last window saw.
@tasks.periodic(cron="*/5 * * * *")
@tasks.task(name="delete_expired_login_attempts", queue="auth", queueing_lock="delete_expired_login_attempts")
def delete_expired_login_attempts(timestamp: int) -> None:
    from capmatch.auth.throttle import delete_expired_attempts
    from capmatch.db import session_scope

    with session_scope() as session:
        delete_expired_attempts(session)
