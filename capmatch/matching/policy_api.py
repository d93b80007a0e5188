"""JSON API for saved policies (officers and administrators): a run names one with {"policy": name}."""

from __future__ import annotations

from fastapi import APIRouter, Response

from capmatch.matching import policies
from capmatch.matching.schemas import PolicyIn, PolicyOut
from capmatch.web.deps import DbSession, MaybeActor

router = APIRouter()


@router.get("", response_model=list[PolicyOut])
def list_policies(session: DbSession, actor: MaybeActor):
    """Every saved policy, the default first."""
    return [PolicyOut.model_validate(p) for p in policies.list_saved(session, actor=actor)]


@router.post("", status_code=201, response_model=PolicyOut)
def create_policy(body: PolicyIn, session: DbSession, actor: MaybeActor):
    """Save a policy under a new name; weights left out take the defaults."""
    return PolicyOut.model_validate(policies.save_policy(session, actor=actor, data=body))


@router.get("/{name}", response_model=PolicyOut)
def get_policy(name: str, session: DbSession, actor: MaybeActor):
    return PolicyOut.model_validate(policies.get_saved(session, actor=actor, name=name))


@router.put("/{name}", response_model=PolicyOut)
def replace_policy(name: str, body: PolicyIn, session: DbSession, actor: MaybeActor):
    """Replace every value of a saved policy (its name too: the body's)."""
    current = policies.get_saved(session, actor=actor, name=name)
    return PolicyOut.model_validate(policies.save_policy(session, actor=actor, data=body, policy_id=current.id))


@router.delete("/{name}", status_code=204, response_class=Response)
def delete_policy(name: str, session: DbSession, actor: MaybeActor):
    """Delete a saved policy; the runs that used it keep what they ran with. The default cannot go."""
    current = policies.get_saved(session, actor=actor, name=name)
    policies.delete_policy(session, actor=actor, policy_id=current.id)
    return Response(status_code=204)
