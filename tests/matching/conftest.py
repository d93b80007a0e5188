"""Match runs commit through their own connections, so these tests get a database of their own.

It is migrated once per module, and every test starts from empty marketplace tables.
"""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.orm import Session

from capmatch import db
from tests.conftest import _recreate_database, alembic_config

DATA_TABLES = (
    "proposals", "run_gaps", "match_runs", "need_languages", "needs", "offer_languages", "offer_areas",
    "past_deployments", "offers", "memberships", "api_tokens", "notifications", "users", "organizations",
    "audit_events", "procrastinate_jobs", "procrastinate_events",
)


@pytest.fixture(scope="module")
def runs_engine(database_url, engine):
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    url = _recreate_database(database_url.set(database="postgres"), f"capmatch_test_runs{worker}")
    runs = db.create_db_engine(url, pool_size=8)
    with runs.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    from capmatch.seed.demo import load_policies
    from capmatch.seed.taxonomy import load_taxonomy

    with Session(runs) as session:
        load_taxonomy(session)
        load_policies(session)
        session.commit()
    db.set_engine(runs)
    yield runs
    db.set_engine(engine)
    runs.dispose()


@pytest.fixture
def committed(runs_engine):
    """A session on the runs database whose work is committed; the tables are emptied afterwards."""
    with Session(runs_engine, expire_on_commit=False) as session:
        yield session
    with runs_engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {', '.join(DATA_TABLES)} RESTART IDENTITY CASCADE"))
