"""The background job queue: procrastinate on the same PostgreSQL, so workers can run anywhere.

Tasks are declared on a blueprint (which needs no database); the app is built on first use for
the database the app's engine points at (starting the embedded server if that is the one).
"""

from __future__ import annotations

import threading

import procrastinate

from capmatch.db import get_engine

tasks = procrastinate.Blueprint()
_base: procrastinate.App | None = None
_apps: dict[str, procrastinate.App] = {}
_lock = threading.Lock()


def conninfo() -> str:
    # libpq wants plain "postgresql://", not SQLAlchemy's "postgresql+psycopg://".
    return get_engine().url.set(drivername="postgresql").render_as_string(hide_password=False)


def get_job_app() -> procrastinate.App:
    global _base
    info = conninfo()
    with _lock:
        if info not in _apps:
            connector = procrastinate.PsycopgConnector(conninfo=info)
            if _base is None:
                # Importing these registers their tasks on the blueprint.
                import capmatch.matching.tasks  # noqa: F401
                import capmatch.notifications.mail  # noqa: F401
                import capmatch.proposals.tasks  # noqa: F401

                # add_tasks_from renames the blueprint's tasks in place ("capmatch:..."), so it
                # runs once; an app for another database shares the tasks via with_connector.
                _base = procrastinate.App(connector=connector)
                _base.add_tasks_from(tasks, namespace="capmatch")
                _apps[info] = _base
            else:
                _apps[info] = _base.with_connector(connector)
        return _apps[info]
