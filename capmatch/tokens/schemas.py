"""API tokens as the API takes and answers them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from capmatch.inputs import Input

TokenName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]


class TokenCreate(Input):
    model_config = ConfigDict(extra="forbid")

    name: TokenName = Field(description="A label to recognise the token by")
    expires_in_days: Literal[30, 90, 365] = Field(90, description="The token stops working after this many days")


class TokenOut(BaseModel):
    id: int
    name: str
    status: Literal["active", "expired", "revoked"]
    created_at: datetime
    last_used_at: datetime | None = Field(description="To the minute")
    expires_at: datetime | None = Field(description="None for a token an operator issued without an expiry")
    revoked_at: datetime | None
    user_id: int
    user_email: str
    organization_id: int | None


class TokenCreated(TokenOut):
    token: str = Field(description="The secret, shown this once: send it as 'Authorization: Bearer <token>'")
