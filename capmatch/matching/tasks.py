"""Background tasks of the matching engine."""

from __future__ import annotations

import asyncio
import logging

from procrastinate import JobContext

from capmatch.jobs.app import tasks
from capmatch.matching import runs, stalled

log = logging.getLogger(__name__)


@tasks.task(name="execute_match_run", queue="matching")
def execute_match_run(run_id: int) -> None:
    runs.execute(run_id)


def _fail_abandoned_runs() -> int:
    from capmatch.db import session_scope

    with session_scope() as session:
        return runs.fail_abandoned_runs(session)


# Every minute: reading a run never marks it failed, so this is how soon a dead worker's run says
# so. Its queue job, and any other a dead worker left `doing`, is then closed (stalled.py).
@tasks.periodic(cron="* * * * *")
@tasks.task(name="fail_abandoned_runs", queue="matching", queueing_lock="fail_abandoned_runs", pass_context=True)
async def fail_abandoned_runs_task(context: JobContext, timestamp: int) -> None:
    failed = await asyncio.to_thread(_fail_abandoned_runs)
    closed = await stalled.close_stalled_jobs(context.app.job_manager)
    if failed or closed:
        log.warning("abandoned match runs failed: %s; stalled jobs closed: %s", failed, closed)
