"""need answer by: the date by which providers should offer experts for a need (optional)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 18:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('needs', sa.Column('answer_by', sa.Date(), nullable=True))
    op.create_check_constraint(op.f('ck_needs_answer_by_not_after_start'), 'needs',
                               'answer_by IS NULL OR answer_by <= start_by')


def downgrade() -> None:
    op.drop_constraint(op.f('ck_needs_answer_by_not_after_start'), 'needs', type_='check')
    op.drop_column('needs', 'answer_by')
