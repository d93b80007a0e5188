"""Needs as the API takes and answers them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from capmatch.enums import CEFR_LEVELS
from capmatch.i18n import _
from capmatch.inputs import Id, Input
from capmatch.organizations.schemas import OrganizationKind, OrganizationRef
from capmatch.taxonomy.schemas import AreaCode, CountryCode, LanguageCode, Skills, Title, distinct

Modality = Literal["deployed_expert", "remote_advisory", "team", "twinning_mentoring", "training"]
Funding = Literal["requester_paid", "provider_paid", "third_party"]
Urgency = Literal["low", "normal", "high", "critical"]
NeedStatus = Literal["draft", "open", "partially_filled", "filled", "closed", "cancelled"]


def _cefr(value: str) -> str:
    level = value.strip().upper()
    if level not in CEFR_LEVELS:
        raise ValueError(_("must be one of {levels}", levels=", ".join(CEFR_LEVELS)))
    return level


Cefr = Annotated[str, AfterValidator(_cefr), Field(examples=["B2"], description="CEFR level A1..C2")]
ProviderKinds = Annotated[list[OrganizationKind], Field(min_length=1), AfterValidator(distinct)]
# Ids of groupings: only nationals of a member country of one of them may answer; none: any nationality.
Groupings = Annotated[list[Id], Field(max_length=50), AfterValidator(distinct)]


class LanguageRequirement(Input):
    model_config = ConfigDict(extra="forbid")

    code: LanguageCode
    min_level: Cefr


class NeedCreate(Input):
    model_config = ConfigDict(extra="forbid")

    requester_org_id: Id | None = Field(None, description="Defaults to your organization; officers must give it")
    duty_country: CountryCode
    title: Title
    terms_of_reference: Annotated[str, StringConstraints(max_length=20000)] = ""
    area: AreaCode = Field(examples=["corrections"])
    skills: Skills = []
    languages: Annotated[list[LanguageRequirement], Field(max_length=20)] = []
    min_years_experience: Annotated[int, Field(ge=0, le=50)] = 0
    positions: Annotated[int, Field(ge=1, le=500)] = 1
    start_by: date
    answer_by: date | None = Field(None, description="The date by which providers should offer experts, from today "
                                   "to start_by; none: offers are taken until the start date")
    duration_months: Annotated[int, Field(ge=1, le=60)]
    modality: Modality
    funding: Funding
    urgency: Urgency = "normal"
    eligible_members_of: Groupings = Field(
        [], description="Ids of groupings: only nationals of a member country of one of them; empty: anyone")
    allowed_provider_kinds: ProviderKinds | None = None
    exclude_duty_nationals: bool = False
    gender_target: Annotated[Decimal, Field(ge=0, le=1, decimal_places=2)] | None = None
    status: Literal["draft", "open"] = "open"


class NeedUpdate(Input):
    """PATCH: only the fields sent change; lists (skills, languages, ...) are replaced whole."""

    model_config = ConfigDict(extra="forbid")

    duty_country: CountryCode | None = None
    title: Title | None = None
    terms_of_reference: Annotated[str, StringConstraints(max_length=20000)] | None = None
    area: AreaCode | None = None
    skills: Skills | None = None
    languages: Annotated[list[LanguageRequirement], Field(max_length=20)] | None = None
    min_years_experience: Annotated[int, Field(ge=0, le=50)] | None = None
    positions: Annotated[int, Field(ge=1, le=500)] | None = None
    start_by: date | None = None
    answer_by: date | None = Field(None, description="null clears it")
    duration_months: Annotated[int, Field(ge=1, le=60)] | None = None
    modality: Modality | None = None
    funding: Funding | None = None
    urgency: Urgency | None = None
    eligible_members_of: Groupings | None = None
    allowed_provider_kinds: ProviderKinds | None = None
    exclude_duty_nationals: bool | None = None
    gender_target: Annotated[Decimal, Field(ge=0, le=1, decimal_places=2)] | None = None
    status: NeedStatus | None = Field(
        None, description="draft -> open; open/partially filled/filled -> closed (as POST /close, without a reason)")


NEED_NULLABLE_FIELDS = frozenset({"allowed_provider_kinds", "gender_target", "answer_by"})


class CancelRequest(Input):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None


class CloseRequest(CancelRequest):
    """Closing takes an optional reason, as cancelling does (told to the providers whose proposals end)."""


class NeedLanguageOut(BaseModel):
    code: str
    name: str
    min_level: str


class NeedOut(BaseModel):
    id: int
    requester: OrganizationRef
    duty_country: str
    title: str
    terms_of_reference: str
    area: str
    cluster: str
    skills: list[str]
    languages: list[NeedLanguageOut]
    min_years_experience: int
    positions: int
    start_by: date
    answer_by: date | None
    duration_months: int
    modality: str
    funding: str
    urgency: str
    eligible_members_of: list[int]
    allowed_provider_kinds: list[str] | None
    exclude_duty_nationals: bool
    gender_target: float | None
    status: str
    created_at: datetime
    updated_at: datetime
