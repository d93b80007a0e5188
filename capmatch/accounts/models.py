"""Invitations, one-time account links (password reset, e-mail change), reset requests and account e-mail.

A link's token is never stored: only its SHA-256 digest, so a leaked table holds no usable link.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from capmatch.db import Base
from capmatch.enums import ROLES, sql_in

LINK_PURPOSES = ("password_reset", "email_change")


class Invitation(Base):
    """A person asked to join with a role; accepted once, through a link that expires."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    full_name: Mapped[str] = mapped_column(sa.String(200), default="")
    role: Mapped[str] = mapped_column(sa.String(20))
    organization_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    is_focal_point: Mapped[bool] = mapped_column(default=False)
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    token_digest: Mapped[str] = mapped_column(sa.CHAR(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=sa.func.now())
    sent_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=sa.func.now())
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    accepted_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    __table_args__ = (
        sa.CheckConstraint(sql_in("role", ROLES), name="role"),
        sa.CheckConstraint("email = lower(email) AND email LIKE '%_@_%'", name="email_format"),
        sa.CheckConstraint(
            "role IN ('officer', 'admin') OR organization_id IS NOT NULL", name="member_has_organization"
        ),
        sa.CheckConstraint("NOT is_focal_point OR organization_id IS NOT NULL", name="focal_point_has_organization"),
        # One open invitation per address: a second one would be a second live link to the same account.
        sa.Index("uq_invitations_open_email", "email", unique=True,
                 postgresql_where=sa.text("accepted_at IS NULL AND revoked_at IS NULL")),
    )


class AccountLink(Base):
    """A one-time link for an existing user: a password reset, or confirming a new e-mail address."""

    __tablename__ = "account_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(sa.String(20))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    new_email: Mapped[str | None] = mapped_column(sa.String(254))
    token_digest: Mapped[str] = mapped_column(sa.CHAR(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=sa.func.now())
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    __table_args__ = (
        sa.CheckConstraint(sql_in("purpose", LINK_PURPOSES), name="purpose"),
        sa.CheckConstraint("(purpose = 'email_change') = (new_email IS NOT NULL)", name="new_email_for_change"),
    )


class ResetRequest(Base):
    """A "forgot password" request, counted by the throttle whether or not the address has an account."""

    __tablename__ = "reset_requests"

    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    requested_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=sa.func.now())
    email: Mapped[str] = mapped_column(sa.String(254))
    address: Mapped[str] = mapped_column(sa.String(64))

    __table_args__ = (
        sa.Index("ix_reset_requests_email", "email", "requested_at"),
        sa.Index("ix_reset_requests_address", "address", "requested_at"),
    )


class OutgoingEmail(Base):
    """An account e-mail to an address that may have no account yet, sent by a job after the commit.

    The body can hold a one-time link, so it is blanked once the message is sent.
    """

    __tablename__ = "outgoing_emails"

    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    to_address: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=sa.func.now())
    sent_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    __table_args__ = (sa.Index("ix_outgoing_emails_unsent", "id", postgresql_where=sa.text("sent_at IS NULL")),)
