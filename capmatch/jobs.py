"""The background job queue: procrastinate on the same PostgreSQL, so workers can run anywhere.

Tasks are declared on a blueprint (which needs no database); the app is built on first use for
the database the app's engine points at (starting the embedded server if that is the one).
"""

from __future__ import annotations

import threading

import procrastinate

from capmatch.db import get_engine

tasks = procrastinate.Blueprint()
_app: procrastinate.App | None = None
_app_conninfo: str | None = None
_lock = threading.Lock()


def conninfo() -> str:
    # libpq wants plain "postgresql://", not SQLAlchemy's "postgresql+psycopg://".
    return get_engine().url.set(drivername="postgresql").render_as_string(hide_password=False)


def get_job_app() -> procrastinate.App:
    """The one job app. A process talks to one database; should the engine move to another
    (tests do), the app's connector follows it, as procrastinate's replace_connector does:
    tasks keep a link to their app, so a second app would defer through the first one."""
    global _app, _app_conninfo
    info = conninfo()
    with _lock:
        if _app is None:
            # Importing these registers their tasks on the blueprint.
            import capmatch.matching.tasks  # noqa: F401
            import capmatch.notifications.mail  # noqa: F401
            import capmatch.proposals.tasks  # noqa: F401

            _app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=info))
            _app.add_tasks_from(tasks, namespace="capmatch")
        elif info != _app_conninfo:
            connector = procrastinate.PsycopgConnector(conninfo=info)
            _app.connector = connector
            _app.job_manager.connector = connector
        _app_conninfo = info
        return _app
