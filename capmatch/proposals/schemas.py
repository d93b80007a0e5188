"""Proposals as the API takes and answers them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from capmatch.inputs import Id, Input
from capmatch.organizations.schemas import OrganizationRef

ProposalStatus = Literal[
    "proposed", "approved", "accepted", "confirmed", "agreed", "deployed", "completed",
    "rejected", "declined", "withdrawn", "expired", "superseded",
]
Action = Literal["approve", "reject", "accept", "decline", "confirm", "deploy", "complete", "withdraw"]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


class NeedBrief(BaseModel):
    id: int
    title: str
    status: str
    positions: int
    requester: OrganizationRef


class OfferBrief(BaseModel):
    id: int
    title: str
    kind: str
    capacity: int
    reserved: int
    provider: OrganizationRef


class ProposalOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    run_id: int | None = Field(description="The match run that proposed it; null when matched by hand")
    need: NeedBrief
    offer: OfferBrief
    score: float
    breakdown: dict[str, Any] = Field(description="Score components, each in [0, 1]")
    status: ProposalStatus
    reason: str | None = Field(description="Why it was last changed (rejection, decline, withdrawal...)")
    deadline_at: datetime | None = Field(description="When the step now waiting on an answer expires")
    appraisal: int | None
    created_by_id: int | None
    created_at: datetime
    updated_at: datetime
    actions: list[Action] = Field(description="What you may do with it now")
    deployed_on: date | None = Field(None, description="The expert's date of arrival, once deployed")
    ended_on: date | None = Field(None, description="The deployment's last day, once completed")


class ActionRequest(Input):
    model_config = ConfigDict(extra="forbid")

    reason: Reason | None = Field(None, description="Required to reject, decline or withdraw")


class DeployRequest(Input):
    model_config = ConfigDict(extra="forbid")

    arrived_on: date | None = Field(None, description="The expert's date of arrival; today when not given")
    reason: Reason | None = None


class CompleteRequest(Input):
    model_config = ConfigDict(extra="forbid")

    appraisal: Annotated[int, Field(ge=1, le=5, description="The host's appraisal, 1 (poor) to 5 (excellent)")]
    reason: Reason | None = Field(None, description="The host's comment on the deployment")
    ended_on: date | None = Field(None, description="The deployment's last day; today when not given")


class ManualProposalCreate(Input):
    model_config = ConfigDict(extra="forbid")

    need_id: Id
    offer_id: Id
    reason: Reason = Field(description="Why the officer matches these by hand")
    override_reason: Reason | None = Field(
        None, description="Required when the pair breaks a hard rule of matching (the 409 names them): why "
                          "it is proposed anyway; the audit trail keeps it with the rules overridden")


class BulkRequest(Input):
    model_config = ConfigDict(extra="forbid")

    ids: Annotated[list[Id], Field(min_length=1, max_length=500)]
    action: Literal["approve", "reject"]
    reason: Reason | None = Field(None, description="Required to reject")


class BulkResult(BaseModel):
    items: list[ProposalOut]
