"""Alembic environment: migrates the database the app would use, or a connection handed in by tests."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

import capmatch.models  # noqa: F401  (registers every table on the metadata)
from capmatch.db import Base, resolve_database_url

target_metadata = Base.metadata


def include_object(obj, name, type_, reflected, compare_to):
    # procrastinate owns its tables; they are created by our migration but not mapped here.
    if type_ == "table" and name and name.startswith("procrastinate"):
        return False
    return True


def run_migrations(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    url = context.config.get_main_option("sqlalchemy.url") or resolve_database_url()
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        run_migrations(conn)
    engine.dispose()
