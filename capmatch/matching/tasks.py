"""Background tasks of the matching engine."""

from __future__ import annotations

from capmatch.jobs.app import tasks
from capmatch.matching import runs


@tasks.task(name="execute_match_run", queue="matching")
def execute_match_run(run_id: int) -> None:
    runs.execute(run_id)


# Every minute: reading a run never marks it failed, so this is how soon a dead worker's run says so.
@tasks.periodic(cron="* * * * *")
@tasks.task(name="fail_abandoned_runs", queue="matching", queueing_lock="fail_abandoned_runs")
def fail_abandoned_runs_task(timestamp: int) -> None:
    from capmatch.db import session_scope

    with session_scope() as session:
        runs.fail_abandoned_runs(session)
