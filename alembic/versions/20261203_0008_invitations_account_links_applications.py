"""invitations, one-time account links, reset requests, account e-mail, applications to join; focal points

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 14:00:00.000000
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0008'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outgoing_emails',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outgoing_emails'))
    )
    op.create_index('ix_outgoing_emails_unsent', 'outgoing_emails', ['id'], unique=False, postgresql_where=sa.text('sent_at IS NULL'))
    op.create_table('reset_requests',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reset_requests'))
    )
    op.create_index('ix_reset_requests_address', 'reset_requests', ['address', 'requested_at'], unique=False)
    op.create_index('ix_reset_requests_email', 'reset_requests', ['email', 'requested_at'], unique=False)
    op.create_table('account_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('new_email', sa.String(length=254), nullable=True),
    sa.Column('token_digest', sa.CHAR(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(purpose = 'email_change') = (new_email IS NOT NULL)", name=op.f('ck_account_links_new_email_for_change')),
    sa.CheckConstraint("purpose IN ('password_reset', 'email_change')", name=op.f('ck_account_links_purpose')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_account_links_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_links')),
    sa.UniqueConstraint('token_digest', name=op.f('uq_account_links_token_digest'))
    )
    op.create_index(op.f('ix_account_links_user_id'), 'account_links', ['user_id'], unique=False)
    op.create_table('applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('acronym', sa.String(length=30), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('country_iso3', sa.CHAR(length=3), nullable=True),
    sa.Column('members', postgresql.ARRAY(sa.String(length=3)), server_default='{}', nullable=False),
    sa.Column('agreement_form', sa.String(length=40), nullable=False),
    sa.Column('may_request', sa.Boolean(), nullable=False),
    sa.Column('may_provide', sa.Boolean(), nullable=False),
    sa.Column('focal_name', sa.String(length=200), nullable=False),
    sa.Column('focal_email', sa.String(length=254), nullable=False),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("agreement_form IN ('letter_of_assist', 'memorandum_of_understanding', 'institutional_cooperation_contract', 'systems_contract')", name=op.f('ck_applications_agreement_form')),
    sa.CheckConstraint("focal_email = lower(focal_email) AND focal_email LIKE '%%_@_%%'", name=op.f('ck_applications_focal_email_format')),
    sa.CheckConstraint("kind IN ('member_state_agency', 'regional_organization', 'intergovernmental_organization', 'un_entity', 'ngo', 'host_government_ministry')", name=op.f('ck_applications_kind')),
    sa.CheckConstraint("status <> 'declined' OR decision_reason IS NOT NULL", name=op.f('ck_applications_decline_has_reason')),
    sa.CheckConstraint("status IN ('pending', 'accepted', 'declined')", name=op.f('ck_applications_status')),
    sa.CheckConstraint('may_request OR may_provide', name=op.f('ck_applications_has_a_role')),
    sa.ForeignKeyConstraint(['country_iso3'], ['countries.iso3'], name=op.f('fk_applications_country_iso3_countries')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_applications_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_applications_organization_id_organizations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applications'))
    )
    op.create_index(op.f('ix_applications_status'), 'applications', ['status'], unique=False)
    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('is_focal_point', sa.Boolean(), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('token_digest', sa.CHAR(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted_user_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("email = lower(email) AND email LIKE '%%_@_%%'", name=op.f('ck_invitations_email_format')),
    sa.CheckConstraint("role IN ('officer', 'admin') OR organization_id IS NOT NULL", name=op.f('ck_invitations_member_has_organization')),
    sa.CheckConstraint("role IN ('requester', 'provider', 'officer', 'admin')", name=op.f('ck_invitations_role')),
    sa.CheckConstraint('NOT is_focal_point OR organization_id IS NOT NULL', name=op.f('ck_invitations_focal_point_has_organization')),
    sa.ForeignKeyConstraint(['accepted_user_id'], ['users.id'], name=op.f('fk_invitations_accepted_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_invitations_invited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_invitations_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    sa.UniqueConstraint('token_digest', name=op.f('uq_invitations_token_digest'))
    )
    op.create_index(op.f('ix_invitations_organization_id'), 'invitations', ['organization_id'], unique=False)
    op.create_index('uq_invitations_open_email', 'invitations', ['email'], unique=True, postgresql_where=sa.text('accepted_at IS NULL AND revoked_at IS NULL'))
    op.add_column('users', sa.Column('is_focal_point', sa.Boolean(), server_default=sa.text('false'), nullable=False))
    op.create_check_constraint(op.f('ck_users_focal_point_has_organization'), 'users',
                               'NOT is_focal_point OR organization_id IS NOT NULL')


def downgrade() -> None:
    op.drop_constraint(op.f('ck_users_focal_point_has_organization'), 'users', type_='check')
    op.drop_column('users', 'is_focal_point')
    op.drop_index('uq_invitations_open_email', table_name='invitations', postgresql_where=sa.text('accepted_at IS NULL AND revoked_at IS NULL'))
    op.drop_index(op.f('ix_invitations_organization_id'), table_name='invitations')
    op.drop_table('invitations')
    op.drop_index(op.f('ix_applications_status'), table_name='applications')
    op.drop_table('applications')
    op.drop_index(op.f('ix_account_links_user_id'), table_name='account_links')
    op.drop_table('account_links')
    op.drop_index('ix_reset_requests_email', table_name='reset_requests')
    op.drop_index('ix_reset_requests_address', table_name='reset_requests')
    op.drop_table('reset_requests')
    op.drop_index('ix_outgoing_emails_unsent', table_name='outgoing_emails', postgresql_where=sa.text('sent_at IS NULL'))
    op.drop_table('outgoing_emails')
