"""A score out of 100 for people: the weighted mean of a proposal's components under a policy's weights."""

from __future__ import annotations

from capmatch.matching.core.policy import COMPONENTS, DEFAULT_WEIGHTS
from capmatch.web.scores import in_order, match_percent, weight_legend


def test_every_component_at_its_best_is_100_and_at_its_worst_0():
    assert match_percent(dict.fromkeys(COMPONENTS, 1.0)) == 100
    assert match_percent(dict.fromkeys(COMPONENTS, 0.0)) == 0
    assert match_percent({}) is None and match_percent(None) is None


def test_the_policys_weights_decide_how_much_each_component_counts():
    parts = {**dict.fromkeys(COMPONENTS, 0.0), "skills": 1.0}
    assert match_percent(parts, {"skills": 1.0, **{c: 0.0 for c in COMPONENTS if c != "skills"}}) == 100
    # The default weights: skills is 3 of 15.5.
    assert match_percent(parts) == round(100 * 3 / sum(DEFAULT_WEIGHTS.values()))


def test_a_component_not_kept_counts_as_neutral():
    without_gender = {c: 1.0 for c in COMPONENTS if c != "gender_balance"}
    total = sum(DEFAULT_WEIGHTS.values())
    assert match_percent(without_gender) == round(100 * (total - 0.5 * DEFAULT_WEIGHTS["gender_balance"]) / total)
    assert in_order(without_gender)[-1] == ("gender_balance", None)


def test_the_legend_gives_each_components_share_of_the_weights_in_order():
    legend = weight_legend({"skills": 10.0})
    assert [name for name, _ in legend] == list(COMPONENTS)
    assert dict(legend)["skills"] == round(100 * 10 / (sum(DEFAULT_WEIGHTS.values()) - 3 + 10))
