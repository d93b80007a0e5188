"""Recruitment priorities: candidate profiles tested against the unfilled needs with the solver's hard rules."""

from __future__ import annotations

import numpy as np

from capmatch.matching.core.recruitment import Profile, recruitment_priorities, signatures
from matching_builders import TODAY, make_needs

# Countries 0..3: 0 and 1 in region 0 (Africa), 2 and 3 in region 1 (Europe).
REGION = np.array([0, 0, 1, 1], dtype=np.int16)
SOUTH = np.array([True, True, False, False])
SUBREGION = np.array([0, 0, 1, 1], dtype=np.int16)


def priorities(needs, countries=(0, 2), **kw):
    return recruitment_priorities(needs, countries=np.array(countries), country_region=REGION, country_south=SOUTH,
                                  country_subregion=SUBREGION, today=TODAY, **kw)


def test_signatures_are_the_needs_area_and_languages_most_unfilled_positions_first():
    needs = make_needs({"area": 1, "slots": 1, "languages": [(7, 5)]}, {"area": 0, "slots": 3},
                       {"area": 1, "slots": 2, "languages": [(7, 5)]}, {"area": 2, "slots": 0})
    assert signatures(needs) == [(0, ()), (1, ((7, 5),))]


def test_the_profile_open_to_most_positions_comes_first_and_names_its_needs():
    # Needs 1 and 2 want French (7) at C1 in area 1; need 3 wants area 0, no language.
    needs = make_needs({"area": 1, "slots": 2, "languages": [(7, 5)]}, {"area": 1, "slots": 1, "languages": [(7, 4)]},
                       {"area": 0, "slots": 1})
    got = priorities(needs, countries=(0,))
    assert [(p.profile, p.need_ids, p.positions, p.added_positions) for p in got] == [
        (Profile(1, ((7, 5),), 0, 0), (1, 2), 3, 3),  # French at C1 also meets need 2's B2
        (Profile(0, (), 0, 0), (3,), 1, 1),
    ]
    # The window: ready by the earliest start-by date, through the end of the longest assignment.
    assert (got[0].available_from, got[0].available_until) == (TODAY + 60, TODAY + 60 + 180)


def test_a_lower_level_profile_that_adds_nothing_is_not_listed():
    # Need 2's signature (French at B2) is open to need 2 only, which the C1 profile already covers.
    needs = make_needs({"area": 1, "slots": 2, "languages": [(7, 5)]}, {"area": 1, "slots": 1, "languages": [(7, 4)]})
    got = priorities(needs, countries=(0,))
    assert [(p.profile.languages, p.added_positions) for p in got] == [(((7, 5),), 3)]


def test_eligibility_picks_the_region_country_that_qualifies_and_regions_are_separate_profiles():
    # Need 1 takes only nationals of country 1; need 2 anyone. Region 0 is tested with countries 0 and 1.
    needs = make_needs({"slots": 2, "eligible_countries": [1]}, {"slots": 1})
    got = priorities(needs, countries=(0, 1, 2))
    assert [(p.profile.region, p.profile.country, p.need_ids, p.positions, p.added_positions) for p in got] == [
        (0, 1, (1, 2), 3, 3),
    ]
    # Without country 1 on offer, Africa's profile reaches need 2 only, and Europe's adds nothing more.
    got = priorities(needs, countries=(0, 2))
    assert [(p.profile.region, p.profile.country, p.need_ids, p.positions) for p in got] == [(0, 0, (2,), 1)]


def test_hard_rules_of_the_solver_apply_duty_nationals_and_past_start_dates():
    needs = make_needs(
        {"slots": 1, "duty_country": 0, "exclude_duty_nationals": True},  # a national of 0 may not serve
        {"slots": 1, "start_by": TODAY - 1},  # nobody new can arrive before a date that has passed
    )
    got = priorities(needs, countries=(0, 1))
    assert [(p.profile.country, p.need_ids) for p in got] == [(1, (1,))]


def test_the_greedy_list_counts_only_positions_a_higher_priority_leaves():
    # Need 2 asks no language, so every profile can take it; the profile for need 3 takes 5 positions,
    # then English at C1 adds need 1's 2 (need 2 is already counted), and no-language adds nothing.
    needs = make_needs({"slots": 2, "languages": [(3, 5)]}, {"slots": 1}, {"slots": 4, "languages": [(9, 2)]})
    got = priorities(needs, countries=(0,))
    assert [(p.profile.languages, p.need_ids, p.positions, p.added_positions) for p in got] == [
        (((9, 2),), (2, 3), 5, 5),
        (((3, 5),), (1, 2), 3, 2),
    ]


def test_no_unfilled_positions_no_priorities():
    assert priorities(make_needs({"slots": 0})) == []
    assert priorities(make_needs({"slots": 1}), countries=()) == []
    assert len(priorities(make_needs(*[{"area": a} for a in range(5)]), limit=3)) == 3
