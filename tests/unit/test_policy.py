"""A run's policy: one set of names, defaults and ranges, from the form and the API to the solver."""

from __future__ import annotations

import json

import pytest

from capmatch.config import REPO_ROOT
from capmatch.matching.core.constraints import SideConstraints, constraints_from_dict
from capmatch.matching.core.policy import COMPONENTS, CONSTRAINTS, DEFAULT_WEIGHTS, PolicyError, RunPolicy
from capmatch.matching.core.scoring import DEFAULT_POLICY
from capmatch.matching.schemas import Constraints, Weights


def seed_policies() -> dict[str, dict]:
    return {p["name"]: p for p in json.loads((REPO_ROOT / "seed" / "policies.json").read_text())}


def test_the_seeds_default_policy_has_the_cores_default_weights():
    default = next(p for p in seed_policies().values() if p["is_default"])
    assert default["weights"] == DEFAULT_WEIGHTS
    assert {name: getattr(DEFAULT_POLICY, name) for name in COMPONENTS} == DEFAULT_WEIGHTS


def test_every_seed_policy_reads_back_as_it_is_declared():
    for policy in seed_policies().values():
        stored = {"weights": policy["weights"], "constraints": policy["constraints"]}
        assert RunPolicy.from_dict(stored).as_dict() == stored


def test_the_api_and_the_solver_use_the_cores_names():
    assert tuple(Weights.model_fields) == COMPONENTS
    assert tuple(Constraints.model_fields) == tuple(CONSTRAINTS)
    side = {name: 0.5 for name in CONSTRAINTS if name != "time_limit_seconds"}
    constraints, limit = constraints_from_dict({**side, "time_limit_seconds": 9})
    assert constraints == SideConstraints(**side) and limit == 9


def test_a_change_keeps_the_rest_of_its_base():
    base = RunPolicy.from_dict({"weights": DEFAULT_WEIGHTS, "constraints": {"min_south_south_share": 0.6}})
    changed = RunPolicy.build({"cost": 4, "skills": None}, {"max_provider_share": 0.5}, base=base)
    assert changed.weights == {**DEFAULT_WEIGHTS, "cost": 4.0}
    assert changed.constraints == {"min_south_south_share": 0.6, "max_provider_share": 0.5}


@pytest.mark.parametrize(("weights", "constraints", "field"), [
    ({"speling": 1}, None, "weights.speling"),
    (None, {"max_org_share": 0.5}, "constraints.max_org_share"),
    ({"cost": -1}, None, "weights.cost"),
    ({"cost": 101}, None, "weights.cost"),
    ({"cost": float("nan")}, None, "weights.cost"),
    ({"cost": True}, None, "weights.cost"),
    (None, {"max_provider_share": 0}, "constraints.max_provider_share"),
    (None, {"time_limit_seconds": 601}, "constraints.time_limit_seconds"),
    ({c: 0 for c in COMPONENTS}, None, "weights"),
])
def test_an_unknown_or_out_of_range_value_is_refused_naming_its_field(weights, constraints, field):
    with pytest.raises(PolicyError) as refused:
        RunPolicy.build(weights, constraints)
    assert refused.value.field == field


def test_a_stored_policy_with_an_unknown_name_is_refused_when_read_back():
    with pytest.raises(PolicyError):
        RunPolicy.from_dict({"weights": {"skills": 1, "luck": 2}})
