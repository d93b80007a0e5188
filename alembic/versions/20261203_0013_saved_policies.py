"""saved policies: when a policy was saved last; a deleted policy leaves its runs

Revision ID: 0013
Revises: 0007
Create Date: 2026-12-03 12:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('policies', sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'),
                                        nullable=False))
    op.drop_constraint(op.f('fk_match_runs_policy_id_policies'), 'match_runs', type_='foreignkey')
    op.create_foreign_key(op.f('fk_match_runs_policy_id_policies'), 'match_runs', 'policies', ['policy_id'], ['id'],
                          ondelete='SET NULL')


def downgrade() -> None:
    op.drop_constraint(op.f('fk_match_runs_policy_id_policies'), 'match_runs', type_='foreignkey')
    op.create_foreign_key(op.f('fk_match_runs_policy_id_policies'), 'match_runs', 'policies', ['policy_id'], ['id'])
    op.drop_column('policies', 'updated_at')
