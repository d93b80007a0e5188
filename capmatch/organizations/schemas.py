"""Organizations as the API takes and answers them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from capmatch.i18n import _
from capmatch.inputs import Input
from capmatch.taxonomy.schemas import CountryCode, distinct

OrganizationKind = Literal[
    "member_state_agency", "regional_organization", "intergovernmental_organization",
    "un_entity", "ngo", "host_government_ministry",
]


class OrganizationRef(BaseModel):
    id: int
    name: str
    acronym: str | None = None


AgreementForm = Literal[
    "letter_of_assist", "memorandum_of_understanding", "institutional_cooperation_contract", "systems_contract",
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]


def _acronym(value: str) -> str:
    # Lists show it in place of the name, so it is one short word: letters of any script (Camões), digits, hyphens.
    if not 2 <= len(value) <= 30 or not all(c.isalnum() or c == "-" for c in value):
        raise ValueError(_("The acronym must be 2 to 30 letters, digits or hyphens, without spaces (MONUSCO, "
                           "APC-Colombia)."))
    return value


Acronym = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_acronym),
                    Field(examples=["MONUSCO"], description="2 to 30 letters, digits or hyphens; lists show it")]
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
