"""A proposal pairs a need's position with an offer, from a match run or by hand."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from capmatch.db import Base
from capmatch.enums import LIVE_PROPOSAL_STATUSES, PROPOSAL_STATUSES, sql_in


class Proposal(Base):
    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int | None] = mapped_column(sa.ForeignKey("match_runs.id", ondelete="CASCADE"))
    need_id: Mapped[int] = mapped_column(sa.ForeignKey("needs.id"), index=True)
    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("offers.id"), index=True)
    score: Mapped[float] = mapped_column(sa.Float)
    breakdown: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    status: Mapped[str] = mapped_column(sa.String(12), default="proposed", index=True)
    reason: Mapped[str | None] = mapped_column(sa.Text)
    deadline_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    appraisal: Mapped[int | None] = mapped_column(sa.SmallInteger)
    # The deployment itself: the expert's date of arrival, and the last day, recorded at completion.
    deployed_on: Mapped[date | None] = mapped_column(sa.Date)
    ended_on: Mapped[date | None] = mapped_column(sa.Date)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=sa.func.now())
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), onupdate=sa.func.now()
    )

    __table_args__ = (
        sa.CheckConstraint(sql_in("status", PROPOSAL_STATUSES), name="status"),
        sa.CheckConstraint("score >= 0", name="score_not_negative"),
        sa.CheckConstraint("appraisal IS NULL OR appraisal BETWEEN 1 AND 5", name="appraisal_range"),
        sa.CheckConstraint("ended_on IS NULL OR deployed_on IS NULL OR ended_on >= deployed_on",
                           name="deployment_dates_in_order"),
        # A run's proposals page sorted by score reads an index range instead of sorting the run.
        sa.Index("ix_proposals_run_score", "run_id", sa.text("score DESC"), "id"),
        # One live proposal per (need, offer): a second would book the same person twice.
        sa.Index(
            "uq_proposals_live_pair",
            "need_id",
            "offer_id",
            unique=True,
            postgresql_where=sa.text(sql_in("status", LIVE_PROPOSAL_STATUSES)),
        ),
    )
