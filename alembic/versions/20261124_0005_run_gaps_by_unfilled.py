"""index a run's gaps by how many positions they leave unfilled

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 06:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_run_gaps_run_unfilled', 'run_gaps', ['run_id', sa.literal_column('unfilled DESC'), 'need_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_run_gaps_run_unfilled', table_name='run_gaps')
