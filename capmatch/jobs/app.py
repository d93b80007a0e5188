"""The job app and the blueprint tasks are declared on (a leaf: it imports no task module).

Queueing needs no task to be registered (a job is deferred by its task's name); running jobs
does, so a worker builds the app through capmatch.jobs.registry.
"""

from __future__ import annotations

import threading

import procrastinate

from capmatch.db import get_engine

tasks = procrastinate.Blueprint()
NAMESPACE = "capmatch"
_app: procrastinate.App | None = None
_app_conninfo: str | None = None
_lock = threading.Lock()


def conninfo() -> str:
    # libpq wants plain "postgresql://", not SQLAlchemy's "postgresql+psycopg://".
    return get_engine().url.set(drivername="postgresql").render_as_string(hide_password=False)


def get_job_app() -> procrastinate.App:
    """The one job app, with the tasks declared so far. A process talks to one database; should the
    engine move to another (tests do), the app's connector follows it, as procrastinate's
    replace_connector does: tasks keep a link to their app, so a second app would defer through the first."""
    global _app, _app_conninfo
    info = conninfo()
    with _lock:
        if _app is None:
            _app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=info))
            _app.add_tasks_from(tasks, namespace=NAMESPACE)
        elif info != _app_conninfo:
            connector = procrastinate.PsycopgConnector(conninfo=info)
            _app.connector = connector
            _app.job_manager.connector = connector
        _app_conninfo = info
        return _app
