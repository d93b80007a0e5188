"""Saved policies: the weights and side constraints an officer keeps under a name, to run with later.

A run copies its policy when it starts (match_runs.policy_snapshot), so editing or deleting a
saved policy never changes what a past run says it ran with. There is always one default policy
(the one a run naming none uses): it can be replaced as the default, not deleted.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from capmatch.audit.service import record
from capmatch.auth.actor import Actor, require_role
from capmatch.errors import CapmatchError, Conflict, InvalidInput, NotFound, Problems, problems_of
from capmatch.i18n import _
from capmatch.matching.core.policy import PolicyError, RunPolicy
from capmatch.matching.models import Policy
from capmatch.matching.schemas import PolicyIn


def list_saved(session: Session, *, actor: Actor | None) -> list[Policy]:
    require_role(actor, "officer", "admin")
    return list(session.scalars(sa.select(Policy).order_by(Policy.is_default.desc(), Policy.name)))


def get_saved(session: Session, *, actor: Actor | None, policy_id: int | None = None,
              name: str | None = None) -> Policy:
    """One saved policy, by id (the pages) or by name (the API)."""
    require_role(actor, "officer", "admin")
    where = Policy.id == policy_id if policy_id is not None else Policy.name == name
    policy = session.scalar(sa.select(Policy).where(where))
    if policy is None:
        if policy_id is not None:
            raise NotFound(_("No saved policy has the id {number}.", number=policy_id))
        raise NotFound(_("No saved policy has the name {name}.", name=repr(name)))
    return policy


def _run_policy(weights: dict[str, Any] | None, constraints: dict[str, Any] | None) -> RunPolicy:
    """The policy's values as a run would use them: missing weights take the defaults."""
    try:
        return RunPolicy.build(weights, constraints)
    except PolicyError as exc:
        raise InvalidInput(_(exc.template, **exc.values), field=exc.field) from exc


def _checked(session: Session, *, name: str | None, weights: dict[str, Any] | None,
             constraints: dict[str, Any] | None, is_default: bool, policy: Policy | None) -> RunPolicy:
    """Every check of a policy's values at once (a value left out, None, is not checked): one
    InvalidInput carries every failure, or a Conflict alone when it is the only one."""
    problems = Problems()
    values = RunPolicy()
    with problems.check():
        values = _run_policy(weights, constraints)
    if name is not None and _name_taken(session, name, policy.id if policy else None):
        problems.found.append(_name_in_use(name))
    if policy is not None and policy.is_default and not is_default:
        problems.found.append(Conflict(_("This is the default policy: make another policy the default instead."),
                                       field="is_default"))
    problems.raise_any()
    return values


def _name_in_use(name: str) -> Conflict:
    # Said the same by the check and by the database's refusal when two officers race.
    return Conflict(_("A saved policy is already named {name}; choose another name.", name=repr(name)), field="name")


def _name_taken(session: Session, name: str, policy_id: int | None) -> bool:
    query = sa.select(Policy.id).where(Policy.name == name)
    if policy_id is not None:
        query = query.where(Policy.id != policy_id)
    return session.scalar(query.limit(1)) is not None


def policy_problems(session: Session, *, actor: Actor | None, values: dict[str, Any],
                    policy: Policy | None = None) -> list[CapmatchError]:
    """What is wrong with a policy form's fields that passed the schema (a name taken, every weight at
    zero), without writing anything: the form shows these with its other errors in one answer."""
    require_role(actor, "officer", "admin")
    given = {key: {k: v for k, v in values[key].items() if v is not None} if values.get(key) else None
             for key in ("weights", "constraints")}
    return problems_of(lambda: _checked(session, name=values.get("name"), weights=given["weights"],
                                        constraints=given["constraints"], is_default=values.get("is_default", False),
                                        policy=policy))


def save_policy(session: Session, *, actor: Actor | None, data: PolicyIn, policy_id: int | None = None) -> Policy:
    """Create a policy, or replace every value of the one with `policy_id`."""
    actor = require_role(actor, "officer", "admin")
    policy = Policy() if policy_id is None else get_saved(session, actor=actor, policy_id=policy_id)
    values = _checked(
        session, name=data.name, is_default=data.is_default, policy=policy if policy_id is not None else None,
        weights=data.weights.model_dump(exclude_none=True) if data.weights else None,
        constraints=data.constraints.model_dump(exclude_none=True) if data.constraints else None)
    before = None if policy_id is None else _state(policy)
    if data.is_default and not policy.is_default:
        # At most one default (a unique index says so): the old one steps down in this transaction.
        session.execute(sa.update(Policy).where(Policy.is_default).values(is_default=False))
    policy.name, policy.description, policy.is_default = data.name, data.description, data.is_default
    policy.weights, policy.constraints = dict(values.weights), dict(values.constraints)
    policy.updated_at = sa.func.now()
    session.add(policy)
    try:
        with session.begin_nested():
            session.flush()  # the unique name is the database's to guard: two officers may race past the check
    except IntegrityError as exc:
        if "uq_policies_name" in str(exc.orig):
            raise _name_in_use(data.name) from exc
        raise
    session.refresh(policy, ["updated_at"])
    record(session, actor=actor, entity_type="policy", entity_id=policy.id,
           action="created" if before is None else "updated", data={"before": before, "after": _state(policy)})
    return policy


def delete_policy(session: Session, *, actor: Actor | None, policy_id: int) -> None:
    actor = require_role(actor, "officer", "admin")
    policy = get_saved(session, actor=actor, policy_id=policy_id)
    if policy.is_default:
        raise Conflict(_("The default policy cannot be deleted: make another policy the default first."))
    before = _state(policy)
    session.delete(policy)
    session.flush()  # the runs that used it keep their snapshot; their policy_id becomes NULL
    record(session, actor=actor, entity_type="policy", entity_id=policy_id, action="deleted", data={"before": before})


def _state(policy: Policy) -> dict:
    return {"name": policy.name, "description": policy.description, "weights": dict(policy.weights),
            "constraints": dict(policy.constraints), "is_default": policy.is_default}
