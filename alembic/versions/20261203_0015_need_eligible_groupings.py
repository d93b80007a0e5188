"""need eligible groupings: a need may name several groupings whose members' nationals may answer

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-03 16:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'need_eligible_groupings',
        sa.Column('need_id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['need_id'], ['needs.id'], name=op.f('fk_need_eligible_groupings_need_id_needs'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'],
                                name=op.f('fk_need_eligible_groupings_organization_id_organizations')),
        sa.PrimaryKeyConstraint('need_id', 'organization_id', name=op.f('pk_need_eligible_groupings')),
    )
    op.create_index(op.f('ix_need_eligible_groupings_organization_id'), 'need_eligible_groupings',
                    ['organization_id'], unique=False)
    op.execute("INSERT INTO need_eligible_groupings (need_id, organization_id) "
               "SELECT id, eligible_members_of_id FROM needs WHERE eligible_members_of_id IS NOT NULL")
    op.drop_constraint(op.f('fk_needs_eligible_members_of_id_organizations'), 'needs', type_='foreignkey')
    op.drop_column('needs', 'eligible_members_of_id')


def downgrade() -> None:
    op.add_column('needs', sa.Column('eligible_members_of_id', sa.Integer(), nullable=True))
    op.create_foreign_key(op.f('fk_needs_eligible_members_of_id_organizations'), 'needs', 'organizations',
                          ['eligible_members_of_id'], ['id'])
    # One column holds one grouping: a need keeps the first of its groupings.
    op.execute("UPDATE needs SET eligible_members_of_id = g.organization_id FROM "
               "(SELECT need_id, min(organization_id) AS organization_id FROM need_eligible_groupings "
               "GROUP BY need_id) g WHERE g.need_id = needs.id")
    op.drop_index(op.f('ix_need_eligible_groupings_organization_id'), table_name='need_eligible_groupings')
    op.drop_table('need_eligible_groupings')
