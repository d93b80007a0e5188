"""A fresh, migrated benchmark database, apart from the demo's and the tests'.

Embedded PostgreSQL in .capmatch/bench by default; CAPMATCH_BENCH_DATABASE_URL names another server.
"""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from capmatch import db
from capmatch.config import REPO_ROOT


def fresh_database(name: str) -> sa.Engine:
    external = os.environ.get("CAPMATCH_BENCH_DATABASE_URL")
    if external:
        server = db.normalize_url(external)
    else:
        server = db.embedded_server_url(Path(REPO_ROOT / ".capmatch" / "bench"), database="postgres")
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    engine = db.create_db_engine(server.set(database=name), pool_size=4)
    migrate(engine)
    db.set_engine(engine)
    return engine


def migrate(engine: sa.Engine) -> None:
    """alembic upgrade head: also for a reused database, which an older checkout may have built."""
    with engine.begin() as conn:
        config = Config(str(REPO_ROOT / "alembic.ini"))
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
