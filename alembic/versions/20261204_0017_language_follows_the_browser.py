"""users.language may be empty: a person who has not chosen reads the language their browser asks for

Until now every account said "en", chosen by nobody (French did not exist), so a signed-in person's
browser could never ask for French. Those values are cleared; a person's own choice is set on /account
or with the language switcher.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 20:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.alter_column('users', 'language', existing_type=sa.String(length=2), nullable=True)
    op.execute("UPDATE users SET language = NULL WHERE language = 'en'")


def downgrade() -> None:
    op.execute("UPDATE users SET language = 'en' WHERE language IS NULL")
    op.alter_column('users', 'language', existing_type=sa.String(length=2), nullable=False)
