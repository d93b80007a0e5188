"""Matching policies, match runs and the explanation of what each run left unfilled."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from capmatch.db import Base
from capmatch.enums import RUN_STATUSES, sql_in


class Policy(Base):
    __tablename__ = "policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    weights: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    constraints: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    is_default: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=sa.func.now())
    # When it was saved last (who did is in the audit trail).
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=sa.func.now())

    __table_args__ = (
        # At most one default policy.
        sa.Index("uq_policies_default", "is_default", unique=True, postgresql_where=sa.text("is_default")),
        sa.CheckConstraint("name ~ '^[a-z0-9][a-z0-9_-]*$'", name="name_format"),
    )


class MatchRun(Base):
    __tablename__ = "match_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=sa.func.now())
    started_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # A deleted policy leaves its runs: the snapshot below keeps what they ran with.
    policy_id: Mapped[int | None] = mapped_column(sa.ForeignKey("policies.id", ondelete="SET NULL"))
    # The policy as it was when the run started: later edits do not rewrite history.
    policy_snapshot: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    scope: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    input_hash: Mapped[str | None] = mapped_column(sa.CHAR(64))
    solver: Mapped[str | None] = mapped_column(sa.String(40))
    solver_version: Mapped[str | None] = mapped_column(sa.String(40))
    status: Mapped[str] = mapped_column(sa.String(12), default="queued", index=True)
    progress: Mapped[float] = mapped_column(sa.Float, default=0.0)
    phase: Mapped[str] = mapped_column(sa.String(40), default="queued")
    error: Mapped[str | None] = mapped_column(sa.Text)
    positions_open: Mapped[int | None]
    positions_filled: Mapped[int | None]
    total_score: Mapped[float | None] = mapped_column(sa.Float)
    south_south_share: Mapped[float | None] = mapped_column(sa.Float)
    solve_seconds: Mapped[float | None] = mapped_column(sa.Float)
    optimality_gap: Mapped[float | None] = mapped_column(sa.Float)
    figures: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)

    __table_args__ = (
        sa.CheckConstraint(sql_in("status", RUN_STATUSES), name="status"),
        sa.CheckConstraint("progress BETWEEN 0 AND 1", name="progress_range"),
    )


class RunGap(Base):
    """Why a run left positions of a need unfilled."""

    __tablename__ = "run_gaps"

    run_id: Mapped[int] = mapped_column(sa.ForeignKey("match_runs.id", ondelete="CASCADE"), primary_key=True)
    need_id: Mapped[int] = mapped_column(sa.ForeignKey("needs.id", ondelete="CASCADE"), primary_key=True, index=True)
    unfilled: Mapped[int] = mapped_column(sa.SmallInteger)
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)

    __table_args__ = (
        sa.CheckConstraint("unfilled > 0", name="unfilled_positive"),
        # The gaps tab pages through a run's gaps largest first.
        sa.Index("ix_run_gaps_run_unfilled", "run_id", sa.text("unfilled DESC"), "need_id"),
    )
