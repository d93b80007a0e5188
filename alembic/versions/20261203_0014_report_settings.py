"""report settings: the time target the secretariat measures needs against

Revision ID: 0014
Revises: 0007
Create Date: 2026-12-03 15:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'report_settings',
        sa.Column('id', sa.SmallInteger(), nullable=False),
        sa.Column('target_days', sa.SmallInteger(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint('id = 1', name=op.f('ck_report_settings_single_row')),
        sa.CheckConstraint('target_days BETWEEN 1 AND 365', name=op.f('ck_report_settings_target_days_range')),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'],
                                name=op.f('fk_report_settings_updated_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report_settings')),
    )


def downgrade() -> None:
    op.drop_table('report_settings')
