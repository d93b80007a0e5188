"""An offer: an expert, a team, a partnership or a training a provider can make available."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from capmatch.db import Base
from capmatch.enums import COST_BEARERS, GENDERS, OFFER_KINDS, OFFER_STATUSES, sql_in

OFFER_SEARCH_SQL = (
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(summary, '')), 'B')"
)


class Offer(Base):
    __tablename__ = "offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_org_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(30))
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    # Personal data: shown only to the provider, the secretariat, and a requester once released.
    expert_name: Mapped[str | None] = mapped_column(sa.String(200))
    expert_email: Mapped[str | None] = mapped_column(sa.String(254))
    nationality_iso3: Mapped[str | None] = mapped_column(sa.ForeignKey("countries.iso3"), index=True)
    gender: Mapped[str | None] = mapped_column(sa.String(12))
    years_experience: Mapped[int] = mapped_column(sa.SmallInteger, default=0)
    skills: Mapped[list[str]] = mapped_column(ARRAY(sa.String(60)), default=list)
    capacity: Mapped[int] = mapped_column(sa.SmallInteger, default=1)
    # Positions held by approved-or-later proposals; the check below is what makes
    # double-booking impossible, whatever runs concurrently.
    reserved: Mapped[int] = mapped_column(sa.SmallInteger, default=0, server_default="0")
    available_from: Mapped[date] = mapped_column(sa.Date)
    available_until: Mapped[date | None] = mapped_column(sa.Date)
    lead_time_days: Mapped[int] = mapped_column(sa.SmallInteger, default=30)
    max_duration_months: Mapped[int] = mapped_column(sa.SmallInteger, default=12)
    monthly_cost_usd: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    cost_bearer: Mapped[str] = mapped_column(sa.String(20))
    screening_valid_until: Mapped[date | None] = mapped_column(sa.Date)
    credentials_valid_until: Mapped[date | None] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(20), default="available", index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=sa.func.now())
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), onupdate=sa.func.now()
    )
    # Only searches use it, in SQL: deferred, so reading a row does not fetch and parse it.
    search: Mapped[str] = mapped_column(TSVECTOR, sa.Computed(OFFER_SEARCH_SQL, persisted=True), deferred=True)

    __table_args__ = (
        sa.CheckConstraint(sql_in("kind", OFFER_KINDS), name="kind"),
        sa.CheckConstraint(sql_in("status", OFFER_STATUSES), name="status"),
        sa.CheckConstraint(sql_in("cost_bearer", COST_BEARERS), name="cost_bearer"),
        sa.CheckConstraint("gender IS NULL OR " + sql_in("gender", GENDERS), name="gender"),
        sa.CheckConstraint("length(btrim(title)) >= 3", name="title_not_blank"),
        # An individual expert is a person: the matching rules need their nationality.
        sa.CheckConstraint(
            "kind <> 'individual_expert' OR (expert_name IS NOT NULL AND nationality_iso3 IS NOT NULL)",
            name="individual_has_profile",
        ),
        sa.CheckConstraint("capacity BETWEEN 1 AND 100", name="capacity_range"),
        sa.CheckConstraint("reserved BETWEEN 0 AND capacity", name="reserved_within_capacity"),
        sa.CheckConstraint("years_experience BETWEEN 0 AND 60", name="experience_range"),
        sa.CheckConstraint("lead_time_days BETWEEN 0 AND 365", name="lead_time_range"),
        sa.CheckConstraint("max_duration_months BETWEEN 1 AND 60", name="max_duration_range"),
        sa.CheckConstraint("monthly_cost_usd IS NULL OR monthly_cost_usd >= 0", name="cost_not_negative"),
        sa.CheckConstraint(
            "available_until IS NULL OR available_until >= available_from", name="availability_window"
        ),
        sa.Index("ix_offers_search", "search", postgresql_using="gin"),
        sa.Index("ix_offers_skills", "skills", postgresql_using="gin"),
    )


class OfferArea(Base):
    __tablename__ = "offer_areas"

    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("offers.id", ondelete="CASCADE"), primary_key=True)
    area_code: Mapped[str] = mapped_column(sa.ForeignKey("areas.code"), primary_key=True, index=True)


class OfferLanguage(Base):
    __tablename__ = "offer_languages"

    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("offers.id", ondelete="CASCADE"), primary_key=True)
    language_code: Mapped[str] = mapped_column(sa.ForeignKey("languages.code"), primary_key=True, index=True)
    level: Mapped[int] = mapped_column(sa.SmallInteger)  # CEFR A1..C2 as 1..6, native = 6

    __table_args__ = (sa.CheckConstraint("level BETWEEN 1 AND 6", name="level_range"),)


class PastDeployment(Base):
    """Where an expert served before, and how the host appraised it (1 poor .. 5 excellent).

    A provider writes its experts' earlier deployments; a deployment completed through CapMatch
    writes its own row (proposal_id set), which only the completion writes: the provider's edits
    leave it as the host appraised it.
    """

    __tablename__ = "past_deployments"

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(sa.ForeignKey("offers.id", ondelete="CASCADE"), index=True)
    country_iso3: Mapped[str] = mapped_column(sa.ForeignKey("countries.iso3"))
    organization_name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(200))
    started_on: Mapped[date] = mapped_column(sa.Date)
    ended_on: Mapped[date | None] = mapped_column(sa.Date)
    appraisal: Mapped[int | None] = mapped_column(sa.SmallInteger)
    # The proposal whose completion wrote this row (None: entered by the provider), and the host's comment.
    proposal_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("proposals.id", ondelete="SET NULL"), unique=True)
    comment: Mapped[str | None] = mapped_column(sa.Text)

    __table_args__ = (
        sa.CheckConstraint("appraisal IS NULL OR appraisal BETWEEN 1 AND 5", name="appraisal_range"),
        sa.CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="dates_in_order"),
    )


class RosterImport(Base):
    """A roster file confirmed into an organization's roster, by its content's SHA-256.

    The unique key makes a confirm idempotent: a double click, a resubmitted or replayed form
    carries the same file, and its second confirm finds the first here (waiting on the key while
    the first is still being written) instead of importing the rows again.
    """

    __tablename__ = "roster_imports"
    __table_args__ = (sa.UniqueConstraint("organization_id", "content_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id", ondelete="CASCADE"))
    content_sha256: Mapped[str] = mapped_column(sa.String(64))
    filename: Mapped[str] = mapped_column(sa.String(200))
    imported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    offers_created: Mapped[int] = mapped_column(sa.Integer, default=0)
    offers_updated: Mapped[int] = mapped_column(sa.Integer, default=0)
    imported_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=sa.func.now())
