"""A need: positions a requesting organization wants filled with civilian expertise."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from capmatch.db import Base
from capmatch.enums import FUNDING, MODALITIES, NEED_STATUSES, ORGANIZATION_KINDS, URGENCIES, sql_in

NEED_SEARCH_SQL = (
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(terms_of_reference, '')), 'B')"
)


class Need(Base):
    __tablename__ = "needs"

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_org_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    duty_country_iso3: Mapped[str] = mapped_column(sa.ForeignKey("countries.iso3"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    terms_of_reference: Mapped[str] = mapped_column(sa.Text, default="")
    area_code: Mapped[str] = mapped_column(sa.ForeignKey("areas.code"), index=True)
    skills: Mapped[list[str]] = mapped_column(ARRAY(sa.String(60)), default=list)
    min_years_experience: Mapped[int] = mapped_column(sa.SmallInteger, default=0)
    positions: Mapped[int] = mapped_column(sa.SmallInteger, default=1)
    start_by: Mapped[date] = mapped_column(sa.Date)
    # The date by which providers should offer experts; none: offers are taken until the start date.
    # Information for providers: matching does not read it.
    answer_by: Mapped[date | None] = mapped_column(sa.Date)
    duration_months: Mapped[int] = mapped_column(sa.SmallInteger)
    modality: Mapped[str] = mapped_column(sa.String(30))
    funding: Mapped[str] = mapped_column(sa.String(30))
    urgency: Mapped[str] = mapped_column(sa.String(10), default="normal", index=True)
    # Eligibility by grouping lives in need_eligible_groupings (NeedEligibleGrouping).
    # None means any kind of provider may answer.
    allowed_provider_kinds: Mapped[list[str] | None] = mapped_column(ARRAY(sa.String(40)))
    exclude_duty_nationals: Mapped[bool] = mapped_column(default=False)
    gender_target: Mapped[Decimal | None] = mapped_column(sa.Numeric(3, 2))
    status: Mapped[str] = mapped_column(sa.String(20), default="open", index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=sa.func.now())
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), onupdate=sa.func.now()
    )
    # Only searches use it, in SQL: deferred, so reading a row does not fetch and parse it.
    search: Mapped[str] = mapped_column(TSVECTOR, sa.Computed(NEED_SEARCH_SQL, persisted=True), deferred=True)

    __table_args__ = (
        sa.CheckConstraint(sql_in("modality", MODALITIES), name="modality"),
        sa.CheckConstraint(sql_in("funding", FUNDING), name="funding"),
        sa.CheckConstraint(sql_in("urgency", URGENCIES), name="urgency"),
        sa.CheckConstraint(sql_in("status", NEED_STATUSES), name="status"),
        sa.CheckConstraint("length(btrim(title)) >= 3", name="title_not_blank"),
        sa.CheckConstraint("positions BETWEEN 1 AND 500", name="positions_range"),
        sa.CheckConstraint("min_years_experience BETWEEN 0 AND 50", name="experience_range"),
        sa.CheckConstraint("duration_months BETWEEN 1 AND 60", name="duration_range"),
        sa.CheckConstraint("answer_by IS NULL OR answer_by <= start_by", name="answer_by_not_after_start"),
        sa.CheckConstraint("gender_target IS NULL OR gender_target BETWEEN 0 AND 1", name="gender_target_range"),
        sa.CheckConstraint(
            "allowed_provider_kinds IS NULL OR (cardinality(allowed_provider_kinds) > 0 AND "
            "allowed_provider_kinds <@ ARRAY[" + ", ".join(f"'{k}'" for k in ORGANIZATION_KINDS)
            + "]::varchar[])",
            name="allowed_provider_kinds",
        ),
        sa.Index("ix_needs_search", "search", postgresql_using="gin"),
        sa.Index("ix_needs_skills", "skills", postgresql_using="gin"),
        sa.Index("ix_needs_status_start_by", "status", "start_by"),
    )


class NeedLanguage(Base):
    __tablename__ = "need_languages"

    need_id: Mapped[int] = mapped_column(sa.ForeignKey("needs.id", ondelete="CASCADE"), primary_key=True)
    language_code: Mapped[str] = mapped_column(sa.ForeignKey("languages.code"), primary_key=True, index=True)
    min_level: Mapped[int] = mapped_column(sa.SmallInteger)  # CEFR A1..C2 as 1..6

    __table_args__ = (sa.CheckConstraint("min_level BETWEEN 1 AND 6", name="level_range"),)


class NeedEligibleGrouping(Base):
    """Only nationals of a member country of one of a need's groupings may fill it (an AU mission, say);
    a need without any takes every nationality."""

    __tablename__ = "need_eligible_groupings"

    need_id: Mapped[int] = mapped_column(sa.ForeignKey("needs.id", ondelete="CASCADE"), primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), primary_key=True, index=True)
