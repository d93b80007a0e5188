"""The price of a policy's side constraints, on an instance small enough to check by hand.

Two needs of one position each, three offers of capacity one, four candidate pairs:

    need 0: offer A 10, offer B 6          A: North, a man, provider 0
    need 1: offer A 9,  offer C 8          B: South, a man, provider 1;  C: North, a woman, provider 2
                                           (each of another country)

No constraint: A to need 0, C to need 1 = 18. At least half South-South: B must be in, so B to
need 0 and A to need 1 = 15. At least half women: A and C already are (one of two) = 18. Both:
B and C = 14. Each provider (or country) at most 90%: three of each for two places, never tight.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from capmatch.matching.core import price as price_module
from capmatch.matching.core.constraints import solve_constrained
from capmatch.matching.core.price import price_policy
from capmatch.matching.core.problem import RULES, Candidates
from matching_builders import make_needs, make_offers

NEEDS = make_needs({}, {})
OFFERS = make_offers(
    {"provider_south": False, "gender": 2, "provider_org": 0, "nationality": 3},
    {"provider_south": True, "gender": 2, "provider_org": 1, "nationality": 4},
    {"provider_south": False, "gender": 1, "provider_org": 2, "nationality": 5},
)
CANDIDATES = Candidates(need=np.array([0, 0, 1, 1]), offer=np.array([0, 1, 0, 2]),
                        eliminated=np.zeros((2, len(RULES)), dtype=np.int64))
SCORES = SimpleNamespace(total=np.array([10.0, 6.0, 9.0, 8.0]))


def priced(constraints: dict):
    result = solve_constrained(NEEDS, OFFERS, CANDIDATES, SCORES, dict(constraints))
    return result, price_policy(NEEDS, OFFERS, CANDIDATES, SCORES, constraints, result)


def by_name(price) -> dict:
    return {c.name: (c.binding, c.total_without) for c in price.constraints}


def test_a_policy_without_side_constraints_has_no_price():
    assert priced({})[1] is None
    assert priced({"time_limit_seconds": 5})[1] is None  # the solver's limit constrains nothing


def test_one_constraint_costs_the_difference_to_the_unconstrained_optimum():
    result, price = priced({"min_south_south_share": 0.5})
    assert sorted(result.edges.tolist()) == [1, 2]  # B to need 0, A to need 1
    assert (price.total, price.unconstrained_total) == (15.0, 18.0)
    assert by_name(price) == {"min_south_south_share": (True, 18.0)}
    assert price.exact and price.skipped is None


def test_a_binding_constraint_may_cost_nothing():
    _, price = priced({"min_women_share": 0.5})
    assert (price.total, price.unconstrained_total) == (18.0, 18.0)
    assert by_name(price) == {"min_women_share": (True, 18.0)}  # exactly one woman of two: at its limit


def test_each_constraint_is_priced_with_the_others_kept():
    _, price = priced({"min_south_south_share": 0.5, "min_women_share": 0.5, "max_provider_share": 0.9,
                       "time_limit_seconds": 30})
    assert (price.total, price.unconstrained_total) == (14.0, 18.0)
    assert by_name(price) == {
        "min_south_south_share": (True, 18.0),  # women's floor alone: A and C
        "min_women_share": (True, 15.0),  # South-South floor alone: B and A
        "max_provider_share": (False, 14.0),  # never tight: dropping it changes nothing
    }
    assert price.as_dict()["constraints"][1] == {"name": "min_women_share", "value": 0.5, "binding": True,
                                                "total_without": 15.0}


def test_more_than_three_constraints_are_priced_only_together():
    _, price = priced({"min_south_south_share": 0.5, "min_women_share": 0.5, "max_provider_share": 0.9,
                       "max_country_share": 0.9})
    assert (price.total, price.unconstrained_total, price.skipped) == (14.0, 18.0, "too_many")
    assert all(c.total_without is None for c in price.constraints)


def test_a_slow_constrained_solve_is_not_repeated_once_per_constraint(monkeypatch):
    monkeypatch.setattr(price_module, "EACH_AFTER_SECONDS", -1.0)
    _, price = priced({"min_south_south_share": 0.5, "min_women_share": 0.5})
    assert (price.unconstrained_total, price.skipped) == (18.0, "too_slow")
    assert [c.total_without for c in price.constraints] == [None, None]


def test_a_total_without_a_constraint_is_never_below_the_runs_own():
    # A heuristic stopped early may find less without a constraint than the run found with it; the
    # run's own selection still meets the looser policy, so that is what the price counts.
    result, _ = priced({"min_south_south_share": 0.5, "min_women_share": 0.5})
    better = result.__class__(**{**result.__dict__, "total_score": 16.0})
    price = price_policy(NEEDS, OFFERS, CANDIDATES, SCORES, {"min_south_south_share": 0.5, "min_women_share": 0.5},
                         better)
    assert by_name(price)["min_women_share"] == (True, 16.0)
    assert price.total == 16.0 and price.unconstrained_total == pytest.approx(18.0)


def test_the_lagrangian_relaxation_hands_over_the_unconstrained_optimum_it_found_first():
    constraints = {"min_south_south_share": 0.5}
    result = solve_constrained(NEEDS, OFFERS, CANDIDATES, SCORES, dict(constraints), method="lagrangian")
    assert result.method == "lagrangian" and result.unconstrained_total == 18.0
    price = price_policy(NEEDS, OFFERS, CANDIDATES, SCORES, constraints, result)
    assert price.unconstrained_total == 18.0 and by_name(price)["min_south_south_share"][1] == 18.0
