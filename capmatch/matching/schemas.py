"""Shapes of the match-run API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from capmatch.inputs import Id, Input
from capmatch.matching.core.policy import COMPONENTS, CONSTRAINTS, DEFAULT_WEIGHTS, MAX_WEIGHT, Bound

DESCRIPTIONS = {
    "min_south_south_share": "of filled positions",
    "max_provider_share": "of filled positions, per provider",
    "max_country_share": "of filled positions, per country",
    "min_women_share": "share of women among filled positions",
    "budget_usd": "total monthly cost x duration",
    "time_limit_seconds": "the solver's, when side constraints make it search",
}


def _bounded(bound: Bound, description: str | None = None) -> Any:
    limits = {"ge" if bound.low_inclusive else "gt": bound.low}
    if bound.high is not None:
        limits["le"] = bound.high
    return (float | None, Field(None, description=description, **limits))


# Built from the pure core's declaration, so the API's names, ranges and defaults are the solver's.
Weights = create_model(
    "Weights", __config__=ConfigDict(extra="forbid"),
    **{c: _bounded(Bound(0.0, True, MAX_WEIGHT), f"default {DEFAULT_WEIGHTS[c]:g}") for c in COMPONENTS},
)
Constraints = create_model(
    "Constraints", __config__=ConfigDict(extra="forbid"),
    **{name: _bounded(bound, DESCRIPTIONS[name]) for name, bound in CONSTRAINTS.items()},
)


class Scope(Input):
    model_config = ConfigDict(extra="forbid")

    cluster: str | None = None
    area: str | None = None
    country: str | None = Field(None, min_length=3, max_length=3)
    need_ids: list[Id] | None = Field(None, max_length=10000)


class RunCreate(Input):
    model_config = ConfigDict(extra="forbid")

    policy: str | None = Field(None, description="saved policy name; the default policy when omitted")
    weights: Weights | None = None
    constraints: Constraints | None = None
    replace_constraints: bool = Field(False, description="true: only the constraints given apply, "
                                      "none of the saved policy's; false: they change the policy's")
    scope: Scope | None = None


class RunOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    status: str
    phase: str
    progress: float
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    policy_id: int | None
    policy_snapshot: dict[str, Any]
    scope: dict[str, Any]
    input_hash: str | None
    solver: str | None
    solver_version: str | None
    error: str | None
    positions_open: int | None
    positions_filled: int | None
    total_score: float | None
    south_south_share: float | None
    solve_seconds: float | None
    optimality_gap: float | None
    figures: dict[str, Any]


class ProposalOut(BaseModel):
    id: int
    run_id: int | None
    need_id: int
    need_title: str
    offer_id: int
    offer_title: str
    provider: str
    score: float
    breakdown: dict[str, Any]
    status: str
    provider_acronym: str | None = None


class GapOut(BaseModel):
    need_id: int
    need_title: str
    unfilled: int
    reasons: list[dict[str, Any]]


POLICY_NAME = r"^[a-z0-9][a-z0-9_-]*$"


class PolicyIn(Input):
    """A saved policy: weights left out take the defaults; only the constraints given apply."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=80, pattern=POLICY_NAME,
                      description="lower-case letters, digits, - and _; how runs and the API name it")
    description: str = Field("", max_length=2000)
    weights: Weights | None = None
    constraints: Constraints | None = None
    is_default: bool = Field(False, description="the policy a run uses when it names none")


class PolicyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    description: str
    weights: dict[str, float]
    constraints: dict[str, float]
    is_default: bool
    created_at: datetime
    updated_at: datetime
