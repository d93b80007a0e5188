"""Applications to join the marketplace: private to the secretariat until accepted."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from capmatch.db import Base
from capmatch.enums import AGREEMENT_FORMS, ORGANIZATION_KINDS, sql_in

APPLICATION_STATUSES = ("pending", "accepted", "declined")


class Application(Base):
    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    acronym: Mapped[str | None] = mapped_column(sa.String(30))
    kind: Mapped[str] = mapped_column(sa.String(40))
    country_iso3: Mapped[str | None] = mapped_column(sa.ForeignKey("countries.iso3"))
    members: Mapped[list[str]] = mapped_column(ARRAY(sa.String(3)), server_default="{}")
    agreement_form: Mapped[str] = mapped_column(sa.String(40))
    may_request: Mapped[bool] = mapped_column(default=False)
    may_provide: Mapped[bool] = mapped_column(default=False)
    focal_name: Mapped[str] = mapped_column(sa.String(200))
    focal_email: Mapped[str] = mapped_column(sa.String(254))
    statement: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(20), default="pending", index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=sa.func.now())
    decided_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    decision_reason: Mapped[str | None] = mapped_column(sa.Text)
    organization_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id", ondelete="SET NULL"))

    __table_args__ = (
        sa.CheckConstraint(sql_in("kind", ORGANIZATION_KINDS), name="kind"),
        sa.CheckConstraint(sql_in("agreement_form", AGREEMENT_FORMS), name="agreement_form"),
        sa.CheckConstraint(sql_in("status", APPLICATION_STATUSES), name="status"),
        sa.CheckConstraint("may_request OR may_provide", name="has_a_role"),
        sa.CheckConstraint("focal_email = lower(focal_email) AND focal_email LIKE '%_@_%'", name="focal_email_format"),
        sa.CheckConstraint("status <> 'declined' OR decision_reason IS NOT NULL", name="decline_has_reason"),
    )
