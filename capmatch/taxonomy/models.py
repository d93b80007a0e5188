"""Reference data: capacity clusters and areas, skills, countries, languages. Loaded from seed/, not code."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from capmatch.db import Base


class Cluster(Base):
    __tablename__ = "clusters"

    code: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    name_fr: Mapped[str] = mapped_column(sa.String(160))
    position: Mapped[int] = mapped_column(sa.SmallInteger)
    cross_cutting: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (sa.CheckConstraint("code ~ '^[a-z][a-z0-9_]*$'", name="code_format"),)


class Area(Base):
    __tablename__ = "areas"

    code: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    cluster_code: Mapped[str] = mapped_column(sa.ForeignKey("clusters.code"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    name_fr: Mapped[str] = mapped_column(sa.String(160))
    position: Mapped[int] = mapped_column(sa.SmallInteger)

    __table_args__ = (sa.CheckConstraint("code ~ '^[a-z][a-z0-9_]*$'", name="code_format"),)


class Country(Base):
    __tablename__ = "countries"

    iso3: Mapped[str] = mapped_column(sa.CHAR(3), primary_key=True)
    iso2: Mapped[str] = mapped_column(sa.CHAR(2), unique=True)
    m49: Mapped[str] = mapped_column(sa.CHAR(3), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    region: Mapped[str] = mapped_column(sa.String(40), index=True)
    sub_region: Mapped[str] = mapped_column(sa.String(60))
    global_south: Mapped[bool] = mapped_column(index=True)

    __table_args__ = (
        sa.CheckConstraint("iso3 ~ '^[A-Z]{3}$'", name="iso3_format"),
        sa.CheckConstraint("iso2 ~ '^[A-Z]{2}$'", name="iso2_format"),
        sa.CheckConstraint("m49 ~ '^[0-9]{3}$'", name="m49_format"),
    )


class Language(Base):
    __tablename__ = "languages"

    code: Mapped[str] = mapped_column(sa.String(3), primary_key=True)  # ISO 639-3
    iso639_1: Mapped[str | None] = mapped_column(sa.CHAR(2), unique=True)
    name: Mapped[str] = mapped_column(sa.String(80))

    __table_args__ = (sa.CheckConstraint("code ~ '^[a-z]{3}$'", name="code_format"),)


class CountryLanguage(Base):
    """Languages spoken locally in a country: a bonus when an expert speaks them."""

    __tablename__ = "country_languages"

    country_iso3: Mapped[str] = mapped_column(
        sa.ForeignKey("countries.iso3", ondelete="CASCADE"), primary_key=True
    )
    language_code: Mapped[str] = mapped_column(sa.ForeignKey("languages.code"), primary_key=True)


class Skill(Base):
    """A skill of the controlled vocabulary: needs and offers store its code, people read its name.

    One code may serve several areas (case management in judicial reform, prosecution and criminal
    justice), so the areas are a table of their own. Retired skills stay for the records that
    hold them but are no longer offered on the forms or accepted as new input.
    """

    __tablename__ = "skills"

    code: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    name_fr: Mapped[str | None] = mapped_column(sa.String(160))
    retired_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    __table_args__ = (sa.CheckConstraint("code ~ '^[a-z][a-z0-9_]*$'", name="code_format"),)


class SkillArea(Base):
    __tablename__ = "skill_areas"

    skill_code: Mapped[str] = mapped_column(sa.ForeignKey("skills.code", ondelete="CASCADE"), primary_key=True)
    area_code: Mapped[str] = mapped_column(sa.ForeignKey("areas.code"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(sa.SmallInteger, default=0)
