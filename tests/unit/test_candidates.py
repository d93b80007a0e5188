"""Candidate generation: each hard rule, and the vectorised builder against a plain double loop."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capmatch.matching.core.problem import RULE, RULES, build_candidates
from capmatch.matching.core.rules import broken_rules
from matching_builders import TODAY, make_needs, make_offers, random_problem


def naive_candidates(needs, offers, today):
    """The hard rules of DESIGN 4.1 written out pair by pair, in the builder's charging order; also
    every rule each pair of a need with open slots breaks."""
    pairs, eliminated = set(), np.zeros((len(needs), len(RULES)), dtype=np.int64)
    failures = {}
    lang_ptr, lang, min_level = needs.languages
    el_ptr, el = needs.eligible_countries
    ex_ptr, ex = needs.excluded_offers
    ol_ptr, ol, olevel = offers.languages
    oa_ptr, oa = offers.areas
    for i in range(len(needs)):
        if needs.slots[i] <= 0:
            continue
        end = int(needs.start_by[i]) + int(needs.duration_days[i])
        required = list(zip(lang[lang_ptr[i]:lang_ptr[i + 1]], min_level[lang_ptr[i]:lang_ptr[i + 1]]))
        eligible = set(el[el_ptr[i]:el_ptr[i + 1]].tolist())
        for j in range(len(offers)):
            levels = {}
            for k in range(ol_ptr[j], ol_ptr[j + 1]):
                levels[int(ol[k])] = max(levels.get(int(ol[k]), 0), int(olevel[k]))
            origin = offers.nationality[j] if offers.nationality[j] >= 0 else offers.provider_country[j]
            checks = [
                ("area", needs.area[i] in oa[oa_ptr[j]:oa_ptr[j + 1]]),
                ("capacity", offers.capacity[j] > 0),
                # The first required language is checked (spoken at all) before arrival, the levels after.
                ("language", not required or int(required[0][0]) in levels),
                ("arrival", max(int(offers.available_from[j]), today) + int(offers.lead_time_days[j]) <= needs.start_by[i]),
                ("language", all(levels.get(int(lg), 0) >= lv for lg, lv in required)),
                ("window", offers.available_until[j] >= end),
                ("duration", needs.duration_days[i] <= offers.max_duration_days[j]),
                ("credentials", offers.credentials_until[j] >= end),
                ("provider_kind", needs.allowed_kinds_mask[i] == 0 or (needs.allowed_kinds_mask[i] >> offers.provider_kind[j]) & 1),
                ("eligibility", not eligible or (origin >= 0 and int(origin) in eligible)),
                ("duty_national", not (needs.exclude_duty_nationals[i] and offers.nationality[j] >= 0
                                       and offers.nationality[j] == needs.duty_country[i])),
                ("excluded", j not in ex[ex_ptr[i]:ex_ptr[i + 1]]),
            ]
            failures[(i, j)] = {name for name, ok in checks if not ok}
            failed = next((name for name, ok in checks if not ok), None)
            if failed is None:
                pairs.add((i, j))
            else:
                eliminated[i, RULE[failed]] += 1
    return pairs, eliminated, failures


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**31), st.integers(0, 12), st.integers(1, 25), st.integers(1, 200))
def test_the_vectorised_builder_matches_the_double_loop(seed, n, m, chunk):
    needs, offers = random_problem(seed, n, m)
    cands = build_candidates(needs, offers, today=TODAY, chunk_pairs=chunk)
    pairs, eliminated, _ = naive_candidates(needs, offers, TODAY)
    assert set(zip(cands.need.tolist(), cands.offer.tolist())) == pairs
    assert len(cands) == len(pairs), "no pair twice"
    np.testing.assert_array_equal(cands.eliminated, eliminated)
    key = cands.need * max(m, 1) + cands.offer
    assert np.all(np.diff(key) > 0), "sorted by (need, offer)"


def one_pair(need: dict, offer: dict):
    cands = build_candidates(make_needs(need), make_offers(offer), today=TODAY)
    removed = [RULES[k] for k in np.flatnonzero(cands.eliminated[0])]
    return len(cands), removed


def test_a_pair_that_meets_every_rule_is_a_candidate():
    assert one_pair({}, {}) == (1, [])


RULE_CASES = [
        ("area", {"area": 1}, {"areas": (0, 2)}),
        ("capacity", {}, {"capacity": 0}),
        ("language", {"languages": [(3, 5)]}, {"languages": [(3, 4)]}),
        ("language", {"languages": [(3, 5), (4, 2)]}, {"languages": [(3, 6)]}),
        ("arrival", {"start_by": TODAY + 20}, {"available_from": TODAY + 15, "lead_time_days": 10}),
        ("arrival", {"start_by": TODAY + 5}, {"available_from": TODAY - 100, "lead_time_days": 10}),
        ("window", {"start_by": TODAY + 60, "duration_days": 180}, {"available_until": TODAY + 239}),
        ("duration", {"duration_days": 400}, {"max_duration_days": 365, "available_until": TODAY + 9999}),
        ("credentials", {"duration_days": 180}, {"credentials_until": TODAY + 200}),
        ("provider_kind", {"allowed_kinds_mask": 0b110}, {"provider_kind": 0}),
        ("eligibility", {"eligible_countries": [5, 6]}, {"nationality": 2}),
        ("eligibility", {"eligible_countries": [5]}, {"nationality": -1, "provider_country": -1}),
        ("duty_national", {"exclude_duty_nationals": True, "duty_country": 2}, {"nationality": 2}),
        ("excluded", {"excluded_offers": [0]}, {}),
]
BOUNDARY_CASES = [
        ({"languages": [(3, 5)]}, {"languages": [(3, 5), (3, 2)]}),
        ({"start_by": TODAY + 20}, {"available_from": TODAY + 10, "lead_time_days": 10}),
        ({"allowed_kinds_mask": 0b100}, {"provider_kind": 2}),
        ({"eligible_countries": [7]}, {"nationality": -1, "provider_country": 7}),
        ({"exclude_duty_nationals": True, "duty_country": 2}, {"nationality": 3, "provider_country": 2}),
        ({"exclude_duty_nationals": False, "duty_country": 2}, {"nationality": 2}),
]


@pytest.mark.parametrize("rule, need, offer", RULE_CASES)
def test_each_hard_rule_removes_the_pair_and_is_charged_for_it(rule, need, offer):
    assert one_pair(need, offer) == (0, [rule])


@pytest.mark.parametrize("need, offer", BOUNDARY_CASES)
def test_a_rule_at_its_boundary_lets_the_pair_through(need, offer):
    assert one_pair(need, offer) == (1, [])


def test_a_need_without_open_slots_gets_nothing_and_is_not_charged():
    assert one_pair({"slots": 0}, {}) == (0, [])


def test_an_offer_in_several_areas_serves_each_of_them():
    needs = make_needs({"area": 0}, {"area": 2}, {"area": 1})
    cands = build_candidates(needs, make_offers({"areas": (0, 2)}), today=TODAY)
    assert cands.need.tolist() == [0, 1]
    assert cands.eliminated[2, RULE["area"]] == 1


def test_empty_inputs_give_an_empty_graph():
    cands = build_candidates(make_needs({}), make_offers({"capacity": 0}), today=TODAY)
    assert len(cands) == 0 and cands.eliminated[0, RULE["capacity"]] == 1


def test_an_area_or_language_listed_twice_gives_one_pair():
    cands = build_candidates(make_needs({"languages": [(1, 3)]}),
                             make_offers({"areas": (0, 0), "languages": [(1, 4), (1, 2)]}), today=TODAY)
    assert cands.need.tolist() == [0] and cands.offer.tolist() == [0]


# --- one pair judged by hand: the same rules, every one it breaks ---------------------------------


@pytest.mark.parametrize("rule, need, offer", RULE_CASES)
def test_a_manual_pair_is_told_the_one_rule_it_breaks(rule, need, offer):
    assert broken_rules(make_needs(need), make_offers(offer), 0, 0, today=TODAY) == (rule,)


@pytest.mark.parametrize("need, offer", BOUNDARY_CASES)
def test_a_manual_pair_at_a_rule_boundary_breaks_nothing(need, offer):
    assert broken_rules(make_needs(need), make_offers(offer), 0, 0, today=TODAY) == ()


def test_a_manual_pair_is_told_every_rule_it_breaks_in_the_run_order():
    needs = make_needs({"area": 1, "eligible_countries": [5], "languages": [(3, 5)]})
    offers = make_offers({"capacity": 0, "nationality": 2, "languages": [(3, 2)]})
    assert broken_rules(needs, offers, 0, 0, today=TODAY) == ("area", "capacity", "language", "eligibility")


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**31), st.integers(1, 8), st.integers(1, 15))
def test_the_rules_for_one_pair_are_the_builders_rules(seed, n, m):
    """Every pair the builder keeps breaks nothing, and every other breaks exactly the rules the
    plain double loop finds: the manual path and the runs apply one set of rules."""
    needs, offers = random_problem(seed, n, m)
    pairs, _, failures = naive_candidates(needs, offers, TODAY)
    built = build_candidates(needs, offers, today=TODAY)
    cands = set(zip(built.need.tolist(), built.offer.tolist()))
    for (i, j), failed in failures.items():
        broken = broken_rules(needs, offers, i, j, today=TODAY)
        assert set(broken) == failed, (i, j)
        assert (not broken) == ((i, j) in cands) == ((i, j) in pairs)
