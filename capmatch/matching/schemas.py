"""Shapes of the match-run API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

COMPONENTS = (
    "skills", "language", "experience", "south_south", "regional", "speed", "cost", "appraisal",
    "capacity_transfer",
)


class Weights(BaseModel):
    model_config = ConfigDict(extra="forbid")

    skills: float | None = Field(None, ge=0, le=100)
    language: float | None = Field(None, ge=0, le=100)
    experience: float | None = Field(None, ge=0, le=100)
    south_south: float | None = Field(None, ge=0, le=100)
    regional: float | None = Field(None, ge=0, le=100)
    speed: float | None = Field(None, ge=0, le=100)
    cost: float | None = Field(None, ge=0, le=100)
    appraisal: float | None = Field(None, ge=0, le=100)
    capacity_transfer: float | None = Field(None, ge=0, le=100)


class Constraints(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_south_south_share: float | None = Field(None, ge=0, le=1, description="of filled positions")
    max_provider_share: float | None = Field(None, gt=0, le=1, description="of filled positions, per provider")
    max_country_share: float | None = Field(None, gt=0, le=1, description="of filled positions, per country")
    min_women_share: float | None = Field(None, ge=0, le=1, description="share of women among filled positions")
    budget_usd: float | None = Field(None, ge=0, description="total monthly cost x duration")
    time_limit_seconds: float | None = Field(None, gt=0, le=600)


class Scope(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cluster: str | None = None
    area: str | None = None
    country: str | None = Field(None, min_length=3, max_length=3)
    need_ids: list[int] | None = Field(None, max_length=10000)


class RunCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    policy: str | None = Field(None, description="policy name; the default policy when omitted")
    weights: Weights | None = None
    constraints: Constraints | None = None
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


class GapOut(BaseModel):
    need_id: int
    need_title: str
    unfilled: int
    reasons: list[dict[str, Any]]
