"""Requesting and providing organizations, and the countries that are members of groupings."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from capmatch.db import Base
from capmatch.enums import AGREEMENT_FORMS, ORGANIZATION_KINDS, sql_in


class Organization(Base):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    acronym: Mapped[str | None] = mapped_column(sa.String(30))
    kind: Mapped[str] = mapped_column(sa.String(40), index=True)
    country_iso3: Mapped[str | None] = mapped_column(sa.ForeignKey("countries.iso3"), index=True)
    agreement_form: Mapped[str] = mapped_column(sa.String(40))
    may_request: Mapped[bool] = mapped_column(default=False)
    may_provide: Mapped[bool] = mapped_column(default=False)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), server_default=sa.func.now())
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now(), onupdate=sa.func.now()
    )

    __table_args__ = (
        sa.CheckConstraint(sql_in("kind", ORGANIZATION_KINDS), name="kind"),
        sa.CheckConstraint(sql_in("agreement_form", AGREEMENT_FORMS), name="agreement_form"),
        sa.CheckConstraint("may_request OR may_provide", name="has_a_role"),
        sa.CheckConstraint("length(btrim(name)) >= 2", name="name_not_blank"),
        # An intergovernmental body has no home country; a government body always has one.
        sa.CheckConstraint(
            "kind <> 'intergovernmental_organization' OR country_iso3 IS NULL",
            name="intergovernmental_has_no_country",
        ),
        sa.CheckConstraint(
            "kind NOT IN ('member_state_agency', 'host_government_ministry') OR country_iso3 IS NOT NULL",
            name="government_has_country",
        ),
    )


class Membership(Base):
    """A country belonging to a grouping organization (the AU's members, ECOWAS's...)."""

    __tablename__ = "memberships"

    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    country_iso3: Mapped[str] = mapped_column(sa.ForeignKey("countries.iso3"), primary_key=True, index=True)
