"""API tokens that expire; notices by kind, and who wants which kind by e-mail

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-03 14:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0007'
branch_labels = None
depends_on = None

KINDS = "kind IN ('proposal_answer_needed', 'proposal_progress', 'proposal_ended')"


def upgrade() -> None:
    op.add_column('api_tokens', sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('notifications', sa.Column('kind', sa.String(length=30), nullable=True))
    op.add_column('notifications', sa.Column('email_wanted', sa.Boolean(), server_default=sa.true(),
                                             nullable=False))
    op.create_check_constraint(op.f('ck_notifications_kind'), 'notifications', KINDS)
    op.create_table(
        'notification_preferences',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('email', sa.Boolean(), nullable=False),
        sa.CheckConstraint(KINDS, name=op.f('ck_notification_preferences_kind')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_notification_preferences_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'kind', name=op.f('pk_notification_preferences')),
    )


def downgrade() -> None:
    op.drop_table('notification_preferences')
    op.drop_constraint(op.f('ck_notifications_kind'), 'notifications', type_='check')
    op.drop_column('notifications', 'email_wanted')
    op.drop_column('notifications', 'kind')
    op.drop_column('api_tokens', 'expires_at')
