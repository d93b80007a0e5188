"""Every task module, imported so that their tasks are declared before the job app is built.

A process that runs jobs imports this module before it asks for the app; one that only queues
jobs does not need to.
"""

from __future__ import annotations

import procrastinate

import capmatch.accounts.outbox  # noqa: F401
import capmatch.accounts.tasks  # noqa: F401
import capmatch.auth.tasks  # noqa: F401
import capmatch.matching.tasks  # noqa: F401
import capmatch.notifications.mail  # noqa: F401
import capmatch.proposals.tasks  # noqa: F401
from capmatch.jobs.app import get_job_app


def worker_app() -> procrastinate.App:
    """The job app with every task registered."""
    return get_job_app()
