"""Executing a match run: snapshot, candidates, scores, solve, and write the result atomically.

Locking (PostgreSQL advisory locks, so they vanish with a dead worker's connection):
- (RUN_LOCKS, run_id) is held for the whole execution: a run marked running whose lock nobody
  holds was abandoned by a killed worker, and fail_abandoned_runs() marks it failed.
- (RUN_LOCKS, 0) serializes runs: a second run waits, then snapshots what the first one left, so
  two runs never hand out the same capacity.
The snapshot is read in one REPEATABLE READ transaction; the result (proposals, gaps and the run's
figures) is written in another that commits all or nothing. Progress goes through the lock
connection in autocommit so watchers see it while the run works.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.db import get_engine
from capmatch.jobs.app import get_job_app
from capmatch.matching.models import MatchRun
from capmatch.matching.phases import ABANDONED

log = logging.getLogger(__name__)

RUN_LOCKS = 7201  # advisory lock namespace for match runs
SERIAL_KEY = 0
Progress = Callable[[str, float], None]


def enqueue(session: Session, *, run_id: int) -> None:
    """Queue the run's job in the caller's transaction: the run and its job commit together."""
    app = get_job_app()
    connection = session.connection().connection.dbapi_connection
    app.configure_task("capmatch:execute_match_run", connection=connection).defer(run_id=run_id)


def fail_abandoned_runs(session: Session) -> int:
    """Mark failed every running run whose worker is gone (its advisory lock is free)."""
    ids = session.scalars(
        sa.text(
            "SELECT id FROM match_runs WHERE status = 'running' AND NOT EXISTS ("
            " SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = :ns AND objid = match_runs.id"
            " AND objsubid = 2 AND granted)"
        ),
        {"ns": RUN_LOCKS},
    ).all()
    if ids:
        session.execute(
            sa.text(
                "UPDATE match_runs SET status = 'failed', phase = 'failed', finished_at = now(), "
                "error = :error WHERE id = ANY(:ids) AND status = 'running'"
            ),
            {"ids": list(ids), "error": ABANDONED},
        )
        # Updated behind the ORM's back: a run this session already holds must be read again.
        failed = set(ids)
        for held in list(session.identity_map.values()):
            if isinstance(held, MatchRun) and held.id in failed:
                session.expire(held)
    return len(ids)


def _lock(conn: sa.Connection, key: int) -> None:
    conn.execute(sa.text("SELECT pg_advisory_lock(:ns, :key)"), {"ns": RUN_LOCKS, "key": key})


def _unlock_all(conn: sa.Connection) -> None:
    conn.execute(sa.text("SELECT pg_advisory_unlock_all()"))


def _set(conn: sa.Connection, run_id: int, **values: Any) -> None:
    assignments = ", ".join(f"{k} = :{k}" for k in values)
    conn.execute(sa.text(f"UPDATE match_runs SET {assignments} WHERE id = :id"), {"id": run_id, **values})


def execute(run_id: int, *, on_progress: Progress | None = None) -> bool:
    """Run a queued match run to completion. Returns False if it was not queued (already handled)."""
    engine = get_engine()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as control:
        _lock(control, run_id)
        try:
            claimed = control.execute(
                sa.text(
                    "UPDATE match_runs SET status = 'running', phase = 'waiting', started_at = now() "
                    "WHERE id = :id AND status = 'queued' RETURNING id"
                ),
                {"id": run_id},
            ).first()
            if claimed is None:
                return False

            def progress(phase: str, fraction: float) -> None:
                _set(control, run_id, phase=phase, progress=round(min(max(fraction, 0.0), 1.0), 4))
                if on_progress:
                    on_progress(phase, fraction)

            progress("waiting for earlier runs", 0.0)
            _lock(control, SERIAL_KEY)
            try:
                from capmatch.matching.pipeline import run_pipeline

                run_pipeline(engine, run_id, progress)
            except Exception as exc:
                log.exception("match run %s failed", run_id)
                reason = f"{type(exc).__name__}: {exc}"
                _set(control, run_id, status="failed", phase="failed", error=reason[:2000],
                     finished_at=_now(control))
                if on_progress:
                    on_progress("failed", 1.0)
                raise
            return True
        finally:
            _unlock_all(control)


def _now(conn: sa.Connection):
    return conn.scalar(sa.text("SELECT now()"))
