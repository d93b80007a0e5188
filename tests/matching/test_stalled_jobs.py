"""A worker killed mid-run: the periodic job fails its run and closes the queue job it left `doing`.

The worker is procrastinate's own job manager taking the job as a worker does; its death is what
the database sees of one: its connections gone (the run's advisory lock with them) and no
heartbeat since, here an hour ago. The periodic job then runs on a real worker.
"""

from __future__ import annotations

import asyncio
import time

import sqlalchemy as sa

from capmatch.auth.actor import SYSTEM
from capmatch.jobs.registry import worker_app
from capmatch.matching import runs, service
from capmatch.matching.schemas import RunCreate
from tests.factories import make_need, make_offer


def queued_run(session) -> int:
    make_need(session)
    make_offer(session)
    run = service.create_run(session, actor=SYSTEM, request=RunCreate())
    runs.enqueue(session, run_id=run.id)
    session.commit()
    return run.id


async def _take_the_next_job() -> tuple[int, int]:
    app = worker_app()
    async with app.open_async():
        worker_id = await app.job_manager.register_worker()
        job = await app.job_manager.fetch_job(queues=["matching"], worker_id=worker_id)
    return worker_id, job.id


def a_worker_takes_the_job(session, run_id: int, *, claims_the_run: bool, beat_ago: str) -> int:
    """A worker takes the run's job (`doing`, under its id), claims the run or not, and last beat `beat_ago`."""
    worker_id, job_id = asyncio.run(_take_the_next_job())
    if claims_the_run:  # as runs.execute does first
        session.execute(sa.text("UPDATE match_runs SET status = 'running', phase = 'waiting', started_at = now() "
                                "WHERE id = :id"), {"id": run_id})
    session.execute(sa.text("UPDATE procrastinate_workers SET last_heartbeat = now() - CAST(:ago AS interval) "
                            "WHERE id = :id"), {"id": worker_id, "ago": beat_ago})
    session.commit()
    return job_id


def the_periodic_job_runs() -> None:
    app = worker_app()
    with app.open():
        app.configure_task("capmatch:fail_abandoned_runs").defer(timestamp=int(time.time()))
        app.run_worker(wait=False, queues=["matching"], install_signal_handlers=False, listen_notify=False)


def job_status(session, job_id: int) -> str:
    return session.scalar(sa.text("SELECT status FROM procrastinate_jobs WHERE id = :id"), {"id": job_id})


def run_status(session, run_id: int) -> str:
    return session.scalar(sa.text("SELECT status FROM match_runs WHERE id = :id"), {"id": run_id})


def test_a_killed_workers_run_is_failed_and_its_job_no_longer_stays_doing(committed):
    run_id = queued_run(committed)
    job_id = a_worker_takes_the_job(committed, run_id, claims_the_run=True, beat_ago="1 hour")

    the_periodic_job_runs()

    committed.rollback()
    assert run_status(committed, run_id) == "failed"
    assert job_status(committed, job_id) == "failed"


def test_a_job_whose_worker_died_before_claiming_its_run_is_retried_and_the_run_done(committed):
    run_id = queued_run(committed)
    job_id = a_worker_takes_the_job(committed, run_id, claims_the_run=False, beat_ago="1 hour")

    the_periodic_job_runs()  # retries the job, then works it off the queue

    committed.rollback()
    assert run_status(committed, run_id) == "succeeded"
    assert job_status(committed, job_id) == "succeeded"


def test_a_job_whose_run_is_still_locked_by_its_worker_is_left_alone_even_with_a_late_heartbeat(
    committed, runs_engine,
):
    late = queued_run(committed)
    late_job = a_worker_takes_the_job(committed, late, claims_the_run=True, beat_ago="1 hour")
    beating = queued_run(committed)
    beating_job = a_worker_takes_the_job(committed, beating, claims_the_run=True, beat_ago="1 second")
    with runs_engine.connect() as worker:  # the late one's worker lives: it holds its run's lock
        worker.execute(sa.text("SELECT pg_advisory_lock(:ns, :id)"), {"ns": runs.RUN_LOCKS, "id": late})
        the_periodic_job_runs()
        worker.execute(sa.text("SELECT pg_advisory_unlock_all()"))

    committed.rollback()
    assert (run_status(committed, late), job_status(committed, late_job)) == ("running", "doing")
    # A beating worker's job is not stalled, whatever its run says (failed here: nobody held its lock).
    assert (run_status(committed, beating), job_status(committed, beating_job)) == ("failed", "doing")
