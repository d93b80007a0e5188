"""session versions on users; login attempts indexed for the per-address throttle and its clean-up

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 07:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# Held by the database, so no way of changing a password or (de)activating an account (the admin
# page, the CLI, a hand-written UPDATE) can forget to end the sessions signed in before it.
BUMP_SESSION_VERSION_FUNCTION = """
CREATE FUNCTION users_bump_session_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.password_hash IS DISTINCT FROM OLD.password_hash OR NEW.is_active IS DISTINCT FROM OLD.is_active THEN
        NEW.session_version := OLD.session_version + 1;
    END IF;
    RETURN NEW;
END;
$$
"""


def upgrade() -> None:
    op.add_column('users', sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))
    op.execute(BUMP_SESSION_VERSION_FUNCTION)
    op.execute(
        "CREATE TRIGGER users_session_version BEFORE UPDATE OF password_hash, is_active ON users "
        "FOR EACH ROW EXECUTE FUNCTION users_bump_session_version()"
    )
    # The throttle reads by address only (the pair's count is a filter on the same rows); the
    # clean-up deletes by age.
    op.drop_index('ix_login_attempts_email', table_name='login_attempts')
    op.create_index('ix_login_attempts_attempted_at', 'login_attempts', ['attempted_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_login_attempts_attempted_at', table_name='login_attempts')
    op.create_index('ix_login_attempts_email', 'login_attempts', ['email', 'attempted_at'], unique=False)
    op.execute("DROP TRIGGER IF EXISTS users_session_version ON users")
    op.execute("DROP FUNCTION IF EXISTS users_bump_session_version()")
    op.drop_column('users', 'session_version')
