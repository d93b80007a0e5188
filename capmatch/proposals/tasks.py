"""Background tasks of the proposals workflow."""

from __future__ import annotations

import logging

from capmatch.jobs.app import tasks

log = logging.getLogger(__name__)


@tasks.periodic(cron="*/15 * * * *")
@tasks.task(name="expire_overdue_proposals", queue="proposals", queueing_lock="expire_overdue_proposals")
def expire_overdue_proposals(timestamp: int) -> None:
    """Expire steps whose deadline passed: the capacity they held goes back to the marketplace."""
    from capmatch.db import session_scope
    from capmatch.proposals.service import expire_overdue

    with session_scope() as session:
        expired = expire_overdue(session)
    if expired:
        log.info("expired %d overdue proposals: %s", len(expired), expired)
