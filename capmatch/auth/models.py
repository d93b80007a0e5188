"""People who sign in, and the bearer tokens they use for the API."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from capmatch.db import Base
from capmatch.enums import ROLES, sql_in


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(20))
    organization_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    password_hash: Mapped[str] = mapped_column(sa.String(200))
    is_active: Mapped[bool] = mapped_column(default=True)
    # The interface language the person chose; none: the one their browser asks for (capmatch.web.language).
    language: Mapped[str | None] = mapped_column(sa.String(2))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=sa.func.now())
    last_login_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Carried in the session cookie, which is only good while they match: signing out adds one
    # (capmatch.auth.login.end_sessions), and so does a trigger (migration 0006) whenever the
    # password or is_active changes, so every session signed in before it ends.
    session_version: Mapped[int] = mapped_column(server_default="0", server_onupdate=sa.FetchedValue())
    # A focal point manages their organization's people (capmatch.people): invites, deactivates,
    # changes roles within the organization's kind. The secretariat does so for every organization.
    is_focal_point: Mapped[bool] = mapped_column(server_default=sa.false())

    __table_args__ = (
        sa.CheckConstraint(sql_in("role", ROLES), name="role"),
        sa.CheckConstraint("email = lower(email) AND email LIKE '%_@_%'", name="email_format"),
        sa.CheckConstraint(sql_in("language", ("en", "fr")), name="language"),
        # Requesters and providers act for an organization; the secretariat acts for all.
        sa.CheckConstraint(
            "role IN ('officer', 'admin') OR organization_id IS NOT NULL", name="member_has_organization"
        ),
        sa.CheckConstraint("NOT is_focal_point OR organization_id IS NOT NULL", name="focal_point_has_organization"),
    )


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    # Only a SHA-256 digest is kept: a leaked table does not leak usable tokens.
    token_hash: Mapped[str] = mapped_column(sa.CHAR(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=sa.func.now())
    # Written at most once a minute, outside the request's transaction (auth.service.actor_for_token).
    last_used_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # None: a token an operator issued from the command line without an expiry.
    expires_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class LoginAttempt(Base):
    """Failed sign-ins, kept in the database so the throttle holds across web workers.

    Rows older than the throttle's window count for nothing; a periodic job deletes them.
    """

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    attempted_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=sa.func.now())
    email: Mapped[str] = mapped_column(sa.String(254))
    address: Mapped[str] = mapped_column(sa.String(64))

    __table_args__ = (
        sa.Index("ix_login_attempts_address", "address", "attempted_at"),
        sa.Index("ix_login_attempts_attempted_at", "attempted_at"),
    )
