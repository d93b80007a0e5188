"""The background job queue: procrastinate on the same PostgreSQL, so workers can run anywhere.

Tasks are declared on a blueprint (which needs no database) and the app is built on first use,
because building it resolves the database URL, which may start the embedded server.
"""

from __future__ import annotations

import threading

import procrastinate

from capmatch.db import resolve_database_url

tasks = procrastinate.Blueprint()
_app: procrastinate.App | None = None
_lock = threading.Lock()


def conninfo() -> str:
    # libpq wants plain "postgresql://", not SQLAlchemy's "postgresql+psycopg://".
    return resolve_database_url().set(drivername="postgresql").render_as_string(hide_password=False)


def get_job_app() -> procrastinate.App:
    global _app
    with _lock:
        if _app is None:
            import capmatch.matching.tasks  # noqa: F401  (registers the tasks on the blueprint)

            app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo()))
            app.add_tasks_from(tasks, namespace="capmatch")
            _app = app
        return _app
