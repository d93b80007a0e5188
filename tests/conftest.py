"""Test harness: a real PostgreSQL database migrated to head once per run; each test in a rolled-back transaction.

The server is the embedded one (in .capmatch/test) unless CAPMATCH_TEST_DATABASE_URL names another.
The test database is created afresh for each run, so tests never see demo data.
"""

from __future__ import annotations

import os

# Before anything reads the settings: the test environment (cheap argon2 parameters, see
# capmatch.auth.passwords), whatever the shell says.
os.environ["CAPMATCH_ENV"] = "test"

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from capmatch import db
from capmatch.config import REPO_ROOT, get_settings

get_settings.cache_clear()

TEST_DATABASE = "capmatch_test"


def _server_url() -> URL:
    external = os.environ.get("CAPMATCH_TEST_DATABASE_URL")
    if external:
        return db.normalize_url(external)
    data_dir = Path(os.environ.get("CAPMATCH_TEST_DATA_DIR", REPO_ROOT / ".capmatch" / "test"))
    return db.embedded_server_url(data_dir, database="postgres")


def _recreate_database(server_url: URL, name: str) -> URL:
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server_url.set(database=name)


def alembic_config(connection: sa.Connection) -> Config:
    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.attributes["connection"] = connection
    return config


@pytest.fixture(scope="session")
def database_url() -> URL:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return _recreate_database(_server_url(), TEST_DATABASE + (f"_{worker}" if worker else ""))


@pytest.fixture(scope="session")
def engine(database_url: URL) -> Iterator[sa.Engine]:
    engine = db.create_db_engine(database_url, pool_size=5)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    db.set_engine(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def taxonomy(engine: sa.Engine) -> None:
    """Reference data (countries, languages, areas) loaded once and committed: tests read it, never change it."""
    from capmatch.seed.taxonomy import load_taxonomy

    with Session(engine) as session:
        load_taxonomy(session)
        session.commit()


@pytest.fixture
def connection(engine: sa.Engine, taxonomy: None) -> Iterator[sa.Connection]:
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


@pytest.fixture
def session(connection: sa.Connection) -> Iterator[Session]:
    """A session whose commits become savepoints: everything is rolled back after the test."""
    with Session(connection, join_transaction_mode="create_savepoint", expire_on_commit=False) as session:
        yield session


@pytest.fixture(scope="session")
def application():
    """The real app, built once for the run: create_app imports every page and freezes the collector.

    Tests change only its dependency_overrides, through `app`, which puts them back afterwards.
    """
    from capmatch.app import create_app

    return create_app()


def run_requests_in(app, session: Session) -> None:
    """Make `app`'s requests use the test's session, inside its transaction."""
    from capmatch.db import get_session

    def test_session() -> Iterator[Session]:
        # Mirrors get_session: the request's commit becomes a savepoint release, its
        # rollback undoes only that request's work.
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise

    app.dependency_overrides[get_session] = test_session


@pytest.fixture
def app(application, session: Session):
    """The real app, its requests running inside the test's transaction."""
    run_requests_in(application, session)
    yield application
    application.dependency_overrides.clear()


@pytest.fixture
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def bearer(session: Session):
    """bearer(user) -> headers carrying a fresh API token for that user."""
    from capmatch.auth.service import issue_token

    def headers_for(user) -> dict[str, str]:
        return {"Authorization": f"Bearer {issue_token(session, user_id=user.id)}"}

    return headers_for


@pytest.fixture
def login(client, session):
    """login(user) -> the client, signed in through the login form (setup is committed first)."""
    from tests.factories import TEST_PASSWORD
    from tests.web.html import csrf_of, parse

    def sign_in(user, password: str = TEST_PASSWORD):
        session.commit()
        token = csrf_of(parse(client.get("/login").text))
        response = client.post("/login", data={"email": user.email, "password": password, "csrf_token": token},
                               follow_redirects=False)
        assert response.status_code == 303, response.text
        return client

    return sign_in


# Tests whose work commits through connections of its own (match runs, races between threads)
# get a database of their own, so what they leave behind (the audit trail is append-only)
# never shows in the rolled-back tests' database.
DATA_TABLES = (
    "proposals", "run_gaps", "match_runs", "need_languages", "needs", "offer_languages", "offer_areas",
    "past_deployments", "offers", "memberships", "api_tokens", "notifications", "users", "organizations",
    "audit_events", "procrastinate_jobs", "procrastinate_events",
)


def reference_database(database_url: URL, name: str, *, pool_size: int) -> sa.Engine:
    """A fresh database beside the test database, migrated, with the taxonomy and the policies."""
    from capmatch.seed.demo import load_policies
    from capmatch.seed.taxonomy import load_taxonomy

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    url = _recreate_database(database_url.set(database="postgres"), f"{name}{worker}")
    engine = db.create_db_engine(url, pool_size=pool_size)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    with Session(engine) as session:
        load_taxonomy(session)
        load_policies(session)
        session.commit()
    return engine


@pytest.fixture(scope="module")
def runs_engine(database_url, engine):
    runs = reference_database(database_url, "capmatch_test_runs", pool_size=8)
    db.set_engine(runs)
    yield runs
    db.set_engine(engine)
    runs.dispose()


@pytest.fixture
def committed(runs_engine):
    """A session on that database whose work is committed; the tables are emptied afterwards."""
    with Session(runs_engine, expire_on_commit=False) as session:
        yield session
    with runs_engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {', '.join(DATA_TABLES)} RESTART IDENTITY CASCADE"))
