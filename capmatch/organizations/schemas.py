"""Organizations as the API takes and answers them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from capmatch.inputs import Input
from capmatch.taxonomy.schemas import CountryCode, distinct

OrganizationKind = Literal[
    "member_state_agency", "regional_organization", "intergovernmental_organization",
    "un_entity", "ngo", "host_government_ministry",
]


class OrganizationRef(BaseModel):
    id: int
    name: str


AgreementForm = Literal[
    "letter_of_assist", "memorandum_of_understanding", "institutional_cooperation_contract", "systems_contract",
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]
Acronym = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)]
Description = Annotated[str, StringConstraints(max_length=10000)]
Members = Annotated[
    list[CountryCode], Field(max_length=300, description="ISO alpha-3 codes of member countries (groupings)"),
    AfterValidator(distinct),
]


class OrganizationCreate(Input):
    model_config = ConfigDict(extra="forbid")

    name: Name
    acronym: Acronym | None = None
    kind: OrganizationKind
    country: CountryCode | None = Field(None, description="Home country; none for an intergovernmental body")
    agreement_form: AgreementForm | None = Field(None, description="Defaults to the usual form for the kind")
    may_request: bool = False
    may_provide: bool = False
    description: Description = ""
    members: Members = []


class OrganizationUpdate(Input):
    """PATCH. Admins may change anything; an organization's own users only its description."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    acronym: Acronym | None = None
    kind: OrganizationKind | None = None
    country: CountryCode | None = None
    agreement_form: AgreementForm | None = None
    may_request: bool | None = None
    may_provide: bool | None = None
    description: Description | None = None
    members: Members | None = Field(None, description="Replaces the whole list; [] clears it")


ORGANIZATION_NULLABLE_FIELDS = frozenset({"acronym", "country"})


class OrganizationOut(BaseModel):
    id: int
    name: str
    acronym: str | None
    kind: str
    country: str | None
    agreement_form: str
    may_request: bool
    may_provide: bool
    description: str
    members: list[str]
    created_at: datetime
    updated_at: datetime
