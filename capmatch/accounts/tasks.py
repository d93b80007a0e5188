"""Background tasks of accounts (the sending of account e-mail is capmatch.accounts.outbox's)."""

from __future__ import annotations

from capmatch.jobs.app import tasks


# Requests older than the throttle's window count for nothing; this keeps the table small.
@tasks.periodic(cron="*/10 * * * *")
@tasks.task(name="delete_expired_reset_requests", queue="auth", queueing_lock="delete_expired_reset_requests")
def delete_expired_reset_requests(timestamp: int) -> None:
    from capmatch.accounts.throttle import delete_expired_requests
    from capmatch.db import session_scope

    with session_scope() as session:
        delete_expired_requests(session)
