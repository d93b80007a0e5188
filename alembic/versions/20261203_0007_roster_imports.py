"""roster imports by content hash, so a confirm imports a file once

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 12:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'roster_imports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('content_sha256', sa.String(length=64), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('imported_by_id', sa.Integer(), nullable=True),
        sa.Column('offers_created', sa.Integer(), nullable=False),
        sa.Column('offers_updated', sa.Integer(), nullable=False),
        sa.Column('imported_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'],
                                name=op.f('fk_roster_imports_organization_id_organizations'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'],
                                name=op.f('fk_roster_imports_imported_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_roster_imports')),
        sa.UniqueConstraint('organization_id', 'content_sha256',
                            name=op.f('uq_roster_imports_organization_id')),
    )


def downgrade() -> None:
    op.drop_table('roster_imports')
