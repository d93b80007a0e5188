"""An organization's people and invitations, as the API takes and answers them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

from capmatch.inputs import Input

MemberRole = Literal["requester", "provider"]


class PersonOut(BaseModel):
    id: int
    email: str
    full_name: str
    role: str
    is_focal_point: bool
    is_active: bool
    created_at: datetime
    last_login_at: datetime | None


class PersonUpdate(Input):
    """PATCH: only what is sent changes. Deactivating (is_active false) ends their sessions and tokens."""

    model_config = ConfigDict(extra="forbid")

    role: MemberRole | None = None
    is_focal_point: bool | None = None
    is_active: bool | None = None


class InvitationCreate(Input):
    model_config = ConfigDict(extra="forbid")

    email: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=254)]
    full_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    role: MemberRole
    is_focal_point: bool = False


class InvitationOut(BaseModel):
    id: int
    email: str
    full_name: str
    role: str
    is_focal_point: bool
    status: Literal["pending", "expired", "accepted", "revoked"]
    invited_by: str | None
    sent_at: datetime
    expires_at: datetime
