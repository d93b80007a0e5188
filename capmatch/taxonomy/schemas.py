"""Shapes of the reference data as the API answers it."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

# --- field types shared by the needs, offers and organizations bodies ------------------------


def _skills(values: list[str]) -> list[str]:
    # Skills are matched as exact strings: one spelling per skill, whatever the client sent.
    return list(dict.fromkeys(v.strip().lower() for v in values if v.strip()))


def distinct(values: list[str] | None) -> list[str] | None:
    return None if values is None else list(dict.fromkeys(values))


Skill = Annotated[str, StringConstraints(max_length=60)]
Skills = Annotated[list[Skill], Field(max_length=50), AfterValidator(_skills)]
CountryCode = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z]{3}$"),
    Field(examples=["SSD"], description="ISO 3166-1 alpha-3"),
]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=200)]
AreaCode = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=40)]
LanguageCode = Annotated[
    str, StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^[A-Za-z]{2,3}$"),
    Field(examples=["fra"], description="ISO 639-3 (or its 639-1 alias)"),
]


# --- reference data --------------------------------------------------------------------------


class AreaBrief(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    name_fr: str


class AreaOut(AreaBrief):
    cluster: str


class ClusterOut(BaseModel):
    code: str
    name: str
    name_fr: str
    cross_cutting: bool
    areas: list[AreaBrief]


class CountryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    iso3: str
    iso2: str
    m49: str
    name: str
    region: str
    sub_region: str
    global_south: bool


class LanguageOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    iso639_1: str | None
    name: str


class SkillOut(BaseModel):
    code: str
    name: str
    name_fr: str | None
    areas: list[str] = Field(description="Codes of the capacity areas the skill belongs to")
    retired: bool = Field(description="Kept on the records that hold it; no longer accepted as new input")
