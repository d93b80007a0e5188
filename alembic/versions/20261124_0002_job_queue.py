"""procrastinate's job queue tables

The background job queue lives in the same PostgreSQL, so its schema goes through Alembic like
every other change. The SQL is procrastinate 3.10's own schema file, copied verbatim: upgrading
procrastinate past 3.10 (pinned in pyproject.toml) means a new migration applying the SQL files
of its sql/migrations/ folder.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from pathlib import Path

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SCHEMA_SQL = Path(__file__).resolve().parent.parent / "sql" / "procrastinate-3.10.0.sql"

DROP_ALL = """
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema()
             AND tablename LIKE 'procrastinate\\_%' LOOP
        EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', r.tablename);
    END LOOP;
    FOR r IN SELECT p.oid::regprocedure AS signature FROM pg_proc p
             JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate\\_%' LOOP
        EXECUTE format('DROP FUNCTION IF EXISTS %s CASCADE', r.signature);
    END LOOP;
    FOR r IN SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
             WHERE n.nspname = current_schema() AND t.typname LIKE 'procrastinate\\_%'
             AND t.typtype IN ('e', 'c') LOOP
        EXECUTE format('DROP TYPE IF EXISTS %I CASCADE', r.typname);
    END LOOP;
END $$;
"""


def upgrade() -> None:
    op.execute(SCHEMA_SQL.read_text())


def downgrade() -> None:
    op.execute(DROP_ALL)
