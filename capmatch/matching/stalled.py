"""A killed worker's queue jobs: closed by procrastinate's stalled-job handling, from the periodic
job that fails abandoned runs (matching/tasks.py).

A job is stalled when it is `doing` and its worker has sent no heartbeat for STALLED_AFTER
seconds (workers beat every 10 s; procrastinate counts a worker as gone after 30 s). What becomes
of it depends on what it was doing, read after fail_abandoned_runs() has run:

- a match run's job whose run is still running is left alone: the run's advisory lock is held,
  so its worker lives (only its heartbeat is late);
- one whose run is still queued died before claiming it: the job is retried, and the run done;
- one whose run has ended is finished as the run ended (failed, or succeeded if the worker died
  just after committing);
- any other job (the periodic ones) is finished as failed: its next tick does the work again.
"""

from __future__ import annotations

import asyncio

import sqlalchemy as sa
from procrastinate.manager import JobManager
from procrastinate.jobs import Status

from capmatch.db import session_scope

STALLED_AFTER = 30.0  # seconds without a heartbeat
RUN_TASK = "capmatch:execute_match_run"


def _run_statuses(run_ids: list[int]) -> dict[int, str]:
    with session_scope() as session:
        rows = session.execute(sa.text("SELECT id, status FROM match_runs WHERE id = ANY(:ids)"), {"ids": run_ids})
        return {row.id: row.status for row in rows}


async def close_stalled_jobs(job_manager: JobManager, *, stalled_after: float = STALLED_AFTER) -> dict[int, str]:
    """Retry or finish every stalled job; returns what was done, by job id ("retried", "failed", ...)."""
    stalled = list(await job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after))
    run_of = {job.id: job.task_kwargs.get("run_id") for job in stalled if job.task_name == RUN_TASK}
    statuses = await asyncio.to_thread(_run_statuses, [r for r in run_of.values() if isinstance(r, int)])
    done: dict[int, str] = {}
    for job in stalled:
        if job.id in run_of:
            status = statuses.get(run_of[job.id])
            if status == "running":
                continue
            if status == "queued":
                await job_manager.retry_job(job)
                done[job.id] = "retried"
                continue
            outcome = Status.SUCCEEDED if status == "succeeded" else Status.FAILED
        else:
            outcome = Status.FAILED
        await job_manager.finish_job(job, outcome, delete_job=False)
        done[job.id] = outcome.value
    return done
