"""Offers as the API takes and answers them, in two views: full and anonymized.

The anonymized view is what the public, requesters and other providers see. It keeps what a
requester needs to judge fit (nationality, gender, years, languages, areas, skills, availability,
cost, past deployments' country, role, dates and appraisal, the provider organization) and drops
what identifies the person: expert_name, expert_email and the names of the organizations they
served with. title and summary are the offer's public pitch and are always shown: providers are
told (field description) not to put personal identifiers in them.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo, field_validator

from capmatch.enums import CEFR_LEVELS
from capmatch.i18n import _
from capmatch.inputs import Id, Input
from capmatch.organizations.schemas import OrganizationKind, OrganizationRef
from capmatch.taxonomy.schemas import AreaCode, CountryCode, LanguageCode, Skills, Title

OfferKind = Literal["individual_expert", "expert_team", "institutional_partnership", "training"]
OfferStatus = Literal["available", "reserved", "deployed", "withdrawn"]
Gender = Literal["female", "male", "other", "undisclosed"]
CostBearer = Literal["requester", "provider", "third_party"]


def _level(value: str) -> str:
    level = value.strip().upper()
    if level == "NATIVE":
        return "native"
    if level not in CEFR_LEVELS:
        raise ValueError(_("must be one of {levels} or native", levels=", ".join(CEFR_LEVELS)))
    return level


Level = Annotated[str, AfterValidator(_level), Field(examples=["C1"], description="CEFR A1..C2 or native")]
Email = Annotated[
    str, StringConstraints(strip_whitespace=True, to_lower=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]
AreaList = Annotated[list[AreaCode], Field(min_length=1, max_length=20)]
Summary = Annotated[
    str, StringConstraints(max_length=20000),
    Field(description="Public text: do not put the expert's name or contact details here."),
]
Money = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]


class LanguageSkill(Input):
    model_config = ConfigDict(extra="forbid")

    code: LanguageCode
    level: Level


class PastDeploymentIn(Input):
    model_config = ConfigDict(extra="forbid")

    country: CountryCode
    organization_name: Name
    role: Name
    started_on: date
    ended_on: date | None = None
    appraisal: Annotated[int, Field(ge=1, le=5)] | None = None

    @field_validator("ended_on")
    @classmethod
    def _ends_after_start(cls, value: date | None, info: ValidationInfo) -> date | None:
        started = info.data.get("started_on")
        if value is not None and started is not None and value < started:
            raise ValueError(_("must not be before the start date"))
        return value


class OfferCreate(Input):
    model_config = ConfigDict(extra="forbid")

    provider_org_id: Id | None = Field(None, description="Defaults to your organization; officers must give it")
    kind: OfferKind
    title: Title
    summary: Summary = ""
    expert_name: Name | None = Field(None, description="Personal data; required for an individual expert")
    expert_email: Email | None = Field(None, description="Personal data")
    nationality: CountryCode | None = Field(None, description="Required for an individual expert")
    gender: Gender | None = None
    years_experience: Annotated[int, Field(ge=0, le=60)] = 0
    areas: AreaList
    skills: Skills = []
    languages: Annotated[list[LanguageSkill], Field(max_length=20)] = []
    capacity: Annotated[int, Field(ge=1, le=100)] = 1
    available_from: date
    available_until: date | None = None
    lead_time_days: Annotated[int, Field(ge=0, le=365)] = 30
    max_duration_months: Annotated[int, Field(ge=1, le=60)] = 12
    monthly_cost_usd: Money | None = None
    cost_bearer: CostBearer
    screening_valid_until: date | None = None
    credentials_valid_until: date | None = None
    past_deployments: Annotated[list[PastDeploymentIn], Field(max_length=50)] = []


class OfferUpdate(Input):
    """PATCH: only the fields sent change; lists (areas, languages, past deployments) are replaced whole.

    Past deployments completed through CapMatch are not the provider's to replace: they stay.

    status is not here: reserved and deployed follow from proposals, withdrawn has its own endpoint.
    """

    model_config = ConfigDict(extra="forbid")

    kind: OfferKind | None = None
    title: Title | None = None
    summary: Summary | None = None
    expert_name: Name | None = None
    expert_email: Email | None = None
    nationality: CountryCode | None = None
    gender: Gender | None = None
    years_experience: Annotated[int, Field(ge=0, le=60)] | None = None
    areas: AreaList | None = None
    skills: Skills | None = None
    languages: Annotated[list[LanguageSkill], Field(max_length=20)] | None = None
    capacity: Annotated[int, Field(ge=1, le=100)] | None = None
    available_from: date | None = None
    available_until: date | None = None
    lead_time_days: Annotated[int, Field(ge=0, le=365)] | None = None
    max_duration_months: Annotated[int, Field(ge=1, le=60)] | None = None
    monthly_cost_usd: Money | None = None
    cost_bearer: CostBearer | None = None
    screening_valid_until: date | None = None
    credentials_valid_until: date | None = None
    past_deployments: Annotated[list[PastDeploymentIn], Field(max_length=50)] | None = None


OFFER_NULLABLE_FIELDS = frozenset({
    "expert_name", "expert_email", "nationality", "gender", "available_until", "monthly_cost_usd",
    "screening_valid_until", "credentials_valid_until",
})


class WithdrawRequest(Input):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None


class OfferLanguageOut(BaseModel):
    code: str
    name: str
    level: str


class PastDeploymentAnonymous(BaseModel):
    country: str
    role: str
    started_on: date
    ended_on: date | None
    appraisal: int | None
    completed_here: bool = Field(False, description="A deployment made and appraised through CapMatch: "
                                 "the host's record, which the provider's edits leave as it is")


class PastDeploymentFull(PastDeploymentAnonymous):
    organization_name: str
    comment: str | None = Field(None, description="The host's comment, for a deployment completed here")


class ProviderRef(OrganizationRef):
    kind: OrganizationKind
    country: str | None


class _OfferBase(BaseModel):
    id: int
    provider: ProviderRef
    kind: str
    title: str
    summary: str
    nationality: str | None
    gender: str | None
    years_experience: int
    areas: list[str]
    skills: list[str]
    languages: list[OfferLanguageOut]
    capacity: int
    reserved: int
    available_from: date
    available_until: date | None
    lead_time_days: int
    max_duration_months: int
    monthly_cost_usd: float | None
    cost_bearer: str
    screening_valid_until: date | None
    credentials_valid_until: date | None
    status: str
    created_at: datetime
    updated_at: datetime


class OfferAnonymous(_OfferBase):
    """What anyone without a right to the expert's personal data sees."""

    view: Literal["anonymized"] = "anonymized"
    past_deployments: list[PastDeploymentAnonymous]


class OfferFull(_OfferBase):
    """The provider's own users and the secretariat see the whole profile."""

    view: Literal["full"] = "full"
    expert_name: str | None
    expert_email: str | None
    past_deployments: list[PastDeploymentFull]


OfferOut = Annotated[OfferFull | OfferAnonymous, Field(discriminator="view")]
