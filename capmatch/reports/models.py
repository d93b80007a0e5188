"""What the secretariat sets for the reports: the time target needs are measured against."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from capmatch.db import Base

# The UN's justice and corrections standing capacity deploys within 3 days of a request.
DEFAULT_TARGET_DAYS = 3


class ReportSettings(Base):
    """One row (id 1): the settings are the secretariat's, not any one user's."""

    __tablename__ = "report_settings"

    id: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True)
    target_days: Mapped[int] = mapped_column(sa.SmallInteger, default=DEFAULT_TARGET_DAYS)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), onupdate=sa.func.now()
    )

    __table_args__ = (
        sa.CheckConstraint("id = 1", name="single_row"),
        sa.CheckConstraint("target_days BETWEEN 1 AND 365", name="target_days_range"),
    )
