"""A need's gender-balance target is a score term (scoring.py): women are favoured in proportion to
the target, on exact small instances."""

from __future__ import annotations

import numpy as np
import pytest

from capmatch.matching.core.constraints import solve_constrained
from capmatch.matching.core.problem import build_candidates
from capmatch.matching.core.scoring import (
    COMPONENTS, DEFAULT_POLICY, FLOOR, component_matrix, score_candidates, stored_breakdown,
)
from matching_builders import TODAY, make_needs, make_offers

FEMALE, MALE, OTHER, UNKNOWN = 1, 2, 3, 0


def gender_term(target: float, gender: int) -> float:
    row = component_matrix(make_needs({"gender_target": target}), make_offers({"gender": gender}),
                           np.array([0]), np.array([0]))[0]
    return float(row[COMPONENTS.index("gender_balance")])


def test_the_term_leans_towards_women_as_far_as_the_target_asks():
    assert gender_term(0.6, FEMALE) == pytest.approx(0.8)
    assert gender_term(0.6, MALE) == pytest.approx(0.2)
    assert gender_term(1.0, FEMALE) == 1.0 and gender_term(1.0, MALE) == 0.0
    assert gender_term(0.6, OTHER) == 0.5 and gender_term(0.6, UNKNOWN) == 0.5


def test_without_a_target_every_offer_scores_the_same_and_the_breakdown_leaves_the_term_out():
    assert gender_term(np.nan, FEMALE) == gender_term(np.nan, MALE) == 0.5
    row = np.full(len(COMPONENTS), 0.5, dtype=np.float32)
    assert "gender_balance" not in stored_breakdown(row, gender_target=float("nan"))
    assert stored_breakdown(row, gender_target=0.5)["gender_balance"] == 0.5


def pick(target: float) -> tuple[list[int], np.ndarray]:
    """One position; a man with one more year of experience than a woman, all else equal."""
    needs = make_needs({"gender_target": target, "min_years": 5})
    offers = make_offers({"gender": MALE, "years": 9}, {"gender": FEMALE, "years": 8})
    cands = build_candidates(needs, offers, today=TODAY)
    scores = score_candidates(needs, offers, cands)
    result = solve_constrained(needs, offers, cands, scores, {})
    return cands.offer[result.edges].tolist(), scores.total


@pytest.mark.parametrize("target, chosen", [(np.nan, 1), (0.1, 1), (0.15, None), (0.5, 2), (1.0, 2)])
def test_the_target_decides_between_a_slightly_stronger_man_and_a_woman(target, chosen):
    # Experience gives the man 0.9 against 0.8 (weight 1.5): 0.15 weighted points. The target
    # gives the woman t/2 more and the man t/2 less (weight 1): t points. She wins once t > 0.15.
    offers, total = pick(target)
    weights = sum(DEFAULT_POLICY.weights())
    lead = (0.0 if np.isnan(target) else target) - 0.15
    assert total[1] - total[0] == pytest.approx((1 - FLOOR) * lead / weights, abs=1e-6)
    if chosen is not None:
        assert offers == [chosen - 1]
