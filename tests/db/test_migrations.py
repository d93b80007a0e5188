"""The migrations build the schema the models describe, and can be undone."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from capmatch.db import Base
from tests.conftest import _recreate_database, alembic_config


@pytest.fixture
def scratch_engine(database_url):
    url = _recreate_database(database_url.set(database="postgres"), database_url.database + "_migrations")
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()


def _tables(conn: sa.Connection) -> set[str]:
    return set(sa.inspect(conn).get_table_names())


def test_upgrade_downgrade_and_upgrade_again_all_work(scratch_engine):
    with scratch_engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    with scratch_engine.connect() as conn:
        assert {"needs", "offers", "proposals", "procrastinate_jobs"} <= _tables(conn)
    with scratch_engine.begin() as conn:
        command.downgrade(alembic_config(conn), "base")
    with scratch_engine.connect() as conn:
        assert _tables(conn) == {"alembic_version"}
        leftover_functions = conn.scalar(
            sa.text("SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                    "WHERE n.nspname = 'public'")
        )
        assert leftover_functions == 0
    with scratch_engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    with scratch_engine.connect() as conn:
        assert {"needs", "offers", "proposals", "procrastinate_jobs"} <= _tables(conn)


def test_the_models_and_the_migrations_agree(engine):
    def include(obj, name, type_, reflected, compare_to):
        return not (type_ == "table" and name.startswith("procrastinate"))

    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": include}
        )
        assert compare_metadata(context, Base.metadata) == []
