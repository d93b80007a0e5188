"""the deployment record: a proposal's date of arrival and end, and the completion it wrote to the expert's past deployments

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-03 14:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('proposals', sa.Column('deployed_on', sa.Date(), nullable=True))
    op.add_column('proposals', sa.Column('ended_on', sa.Date(), nullable=True))
    op.create_check_constraint(op.f('ck_proposals_deployment_dates_in_order'), 'proposals',
                               'ended_on IS NULL OR deployed_on IS NULL OR ended_on >= deployed_on')
    op.add_column('past_deployments', sa.Column('proposal_id', sa.Integer(), nullable=True))
    op.add_column('past_deployments', sa.Column('comment', sa.Text(), nullable=True))
    op.create_foreign_key(op.f('fk_past_deployments_proposal_id_proposals'), 'past_deployments', 'proposals',
                          ['proposal_id'], ['id'], ondelete='SET NULL')
    op.create_unique_constraint(op.f('uq_past_deployments_proposal_id'), 'past_deployments', ['proposal_id'])


def downgrade() -> None:
    op.drop_constraint(op.f('uq_past_deployments_proposal_id'), 'past_deployments', type_='unique')
    op.drop_constraint(op.f('fk_past_deployments_proposal_id_proposals'), 'past_deployments', type_='foreignkey')
    op.drop_column('past_deployments', 'comment')
    op.drop_column('past_deployments', 'proposal_id')
    op.drop_constraint(op.f('ck_proposals_deployment_dates_in_order'), 'proposals', type_='check')
    op.drop_column('proposals', 'ended_on')
    op.drop_column('proposals', 'deployed_on')
