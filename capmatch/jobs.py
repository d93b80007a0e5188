"""The background job queue: procrastinate on the same PostgreSQL, so workers can run anywhere.

Tasks are declared on a blueprint (which needs no database); the app is built on first use for
the database the app's engine points at (starting the embedded server if that is the one).
"""

from __future__ import annotations

import threading

import procrastinate

from capmatch.db import get_engine

tasks = procrastinate.Blueprint()
_apps: dict[str, procrastinate.App] = {}
_lock = threading.Lock()


def conninfo() -> str:
    # libpq wants plain "postgresql://", not SQLAlchemy's "postgresql+psycopg://".
    return get_engine().url.set(drivername="postgresql").render_as_string(hide_password=False)


def get_job_app() -> procrastinate.App:
    info = conninfo()
    with _lock:
        if info not in _apps:
            import capmatch.matching.tasks  # noqa: F401  (registers the tasks on the blueprint)

            app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=info))
            app.add_tasks_from(tasks, namespace="capmatch")
            _apps[info] = app
        return _apps[info]
