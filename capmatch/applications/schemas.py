"""An application to join, as the public form (and the secretariat's decision) send it."""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field, StringConstraints

from capmatch.inputs import Input
from capmatch.organizations.schemas import Acronym, AgreementForm, Members, Name, OrganizationKind
from capmatch.taxonomy.schemas import CountryCode

PersonName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]
Statement = Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=5000)]
Email = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=3, max_length=254)]


class ApplicationCreate(Input):
    model_config = ConfigDict(extra="forbid")

    name: Name
    acronym: Acronym | None = None
    kind: OrganizationKind
    country: CountryCode | None = Field(None, description="Home country; none for an intergovernmental body")
    members: Members = []
    agreement_form: AgreementForm | None = None
    may_request: bool = False
    may_provide: bool = False
    focal_name: PersonName
    focal_email: Email
    statement: Statement = Field(description="What the organization can offer, or needs")
