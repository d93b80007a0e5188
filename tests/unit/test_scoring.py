"""Scores: each component on hand-made pairs, the policy's weights and the urgency multiplier."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capmatch.matching.core.problem import build_candidates
from capmatch.matching.core.scoring import (
    COMPONENTS, DEFAULT_POLICY, FLOOR, Policy, component_matrix, combine, score_candidates,
)
from matching_builders import TODAY, make_needs, make_offers, random_problem


def components(need: dict, offer: dict, policy: Policy = DEFAULT_POLICY) -> dict[str, float]:
    row = component_matrix(make_needs(need), make_offers(offer), np.array([0]), np.array([0]), policy)[0]
    return dict(zip(COMPONENTS, row.tolist()))


def test_skill_coverage_is_the_share_of_the_needs_skills_the_offer_lists():
    assert components({"skills": [1, 2, 3, 4]}, {"skills": [2, 4, 9]})["skills"] == pytest.approx(0.5)
    assert components({"skills": []}, {"skills": [2]})["skills"] == 1.0


def test_language_rewards_levels_beyond_the_minimum_and_a_local_language():
    base = {"languages": [(0, 4)], "local_languages": [7]}
    assert components(base, {"languages": [(0, 4)]})["language"] == pytest.approx(0.0)
    assert components(base, {"languages": [(0, 6)]})["language"] == pytest.approx(0.7)
    assert components(base, {"languages": [(0, 6), (7, 3)]})["language"] == pytest.approx(1.0)
    assert components({"languages": [(0, 6)]}, {"languages": [(0, 6)]})["language"] == pytest.approx(0.7)
    assert components({}, {"languages": [(7, 2)]})["language"] == pytest.approx(0.35)


def test_experience_saturates_above_the_minimum():
    assert components({"min_years": 5}, {"years": 5})["experience"] == pytest.approx(0.5)
    assert components({"min_years": 5}, {"years": 30})["experience"] == 1.0
    assert components({"min_years": 5}, {"years": 0})["experience"] == 0.0


def test_south_south_needs_both_sides_in_the_south():
    assert components({"requester_south": True}, {"provider_south": True})["south_south"] == 1.0
    assert components({"requester_south": True}, {"provider_south": False})["south_south"] == 0.0
    assert components({"requester_south": False}, {"provider_south": True})["south_south"] == 0.0


def test_regional_proximity_prefers_the_same_subregion_then_region():
    near = {"duty_region": 1, "duty_subregion": 4}
    assert components(near, {"provider_region": 1, "provider_subregion": 4})["regional"] == 1.0
    assert components(near, {"provider_region": 1, "provider_subregion": 5})["regional"] == pytest.approx(0.6)
    assert components(near, {"provider_region": 2, "provider_subregion": 7})["regional"] == 0.0


def test_speed_is_judged_against_urgency():
    assert components({"urgency": 3}, {"lead_time_days": 15})["speed"] == pytest.approx(0.5)
    assert components({"urgency": 0}, {"lead_time_days": 15})["speed"] > 0.9
    assert components({"urgency": 3}, {"lead_time_days": 60})["speed"] == 0.0


def test_unknown_cost_and_appraisal_score_half():
    c = components({}, {"monthly_cost": np.nan, "appraisal": np.nan})
    assert c["cost"] == 0.5 and c["appraisal"] == 0.5
    assert components({}, {"monthly_cost": 0.0})["cost"] == 1.0
    assert components({}, {"monthly_cost": 1000.0})["cost"] > components({}, {"monthly_cost": 9000.0})["cost"]
    assert components({}, {"appraisal": 0.8})["appraisal"] == pytest.approx(0.8)


def test_capacity_transfer_favours_mentoring_by_institutions():
    assert components({"modality": 3}, {"kind": 2})["capacity_transfer"] == 1.0
    assert components({"modality": 4}, {"kind": 0})["capacity_transfer"] == 0.75
    assert components({"modality": 0}, {"kind": 3})["capacity_transfer"] == 0.5
    assert components({"modality": 0}, {"kind": 0})["capacity_transfer"] == 0.0


def test_the_score_is_the_weighted_mean_scaled_by_urgency():
    comps = np.zeros((2, len(COMPONENTS)), dtype=np.float32)
    comps[:, 0] = 1
    only_skills = Policy(**{name: (1.0 if name == "skills" else 0.0) for name in COMPONENTS})
    scores = combine(comps, np.array([1, 3]), only_skills)
    assert scores.total.tolist() == pytest.approx([1.0, 1.5])
    zero = combine(np.zeros((1, len(COMPONENTS)), np.float32), np.array([0]))
    assert zero.total[0] == pytest.approx(FLOOR), "a candidate always scores above zero"


def test_the_default_policy_weighs_south_south_most():
    assert DEFAULT_POLICY.south_south == max(DEFAULT_POLICY.weights())


def test_a_policy_with_negative_weights_is_refused():
    with pytest.raises(ValueError):
        Policy(cost=-1.0).weights()


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**31))
def test_every_component_lies_in_the_unit_interval_and_every_score_is_positive(seed):
    needs, offers = random_problem(seed, 10, 20)
    cands = build_candidates(needs, offers, today=TODAY)
    scores = score_candidates(needs, offers, cands)
    assert scores.components.shape == (len(cands), len(COMPONENTS))
    assert np.all((scores.components >= 0) & (scores.components <= 1))
    assert np.all(scores.total > 0) and np.all(np.isfinite(scores.total))
    if len(cands):
        assert set(scores.breakdown(0)) == set(COMPONENTS)
