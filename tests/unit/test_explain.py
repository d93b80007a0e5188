"""Gap explanations: which rule removed a need's candidates, or who outscored it."""

from __future__ import annotations

import numpy as np

from capmatch.matching.core.explain import Names, explain_gaps, gap_summary
from capmatch.matching.core.problem import build_candidates
from capmatch.matching.core.scoring import score_candidates
from capmatch.matching.core.solver import solve_assignment
from matching_builders import TODAY, make_needs, make_offers

NAMES = Names(areas={0: "police", 1: "corrections"}, languages={1: "French"}, countries={5: "Mali", 6: "Niger"})


def run(needs, offers):
    cands = build_candidates(needs, offers, today=TODAY)
    scores = score_candidates(needs, offers, cands)
    chosen = solve_assignment(cands.need, cands.offer, scores.total, needs.slots, offers.capacity)
    return explain_gaps(needs, offers, cands, chosen, NAMES), cands, chosen


def test_a_need_in_an_area_nobody_offers_says_so():
    gaps, _, _ = run(make_needs({"area": 1}), make_offers({"areas": (0,)}, {"areas": (0,)}))
    assert [(g.need_id, g.unfilled, g.primary) for g in gaps] == [(1, 1, "area")]
    assert gaps[0].reasons[0].params == {"area": "corrections", "everywhere": True}


def test_a_missing_language_level_is_named_with_the_level():
    gaps, _, _ = run(make_needs({"languages": [(1, 5)]}), make_offers({"languages": [(1, 4)]}, {"languages": []}))
    reason = gaps[0].reasons[0]
    assert (reason.code, reason.count) == ("language", 2)
    assert reason.params == {"area": "police", "languages": [["French", "C1"]]}


def test_the_latest_rule_to_bite_comes_first():
    needs = make_needs({"start_by": TODAY + 30, "eligible_countries": [5, 6]})
    offers = make_offers({"areas": (1,)}, {"lead_time_days": 45}, {"nationality": 2})
    gaps, _, _ = run(needs, offers)
    assert [r.code for r in gaps[0].reasons] == ["eligibility", "arrival", "area"]
    assert gaps[0].reasons[0].params == {"countries": ["Mali", "Niger"]}
    assert gaps[0].reasons[1].params["date"].startswith("2024-")


def test_a_need_that_lost_a_contested_offer_names_the_winner():
    needs = make_needs({"urgency": 3}, {"urgency": 0})
    gaps, cands, chosen = run(needs, make_offers({}))
    assert len(chosen) == 1 and cands.need[chosen[0]] == 0
    assert [(g.need_id, g.primary, g.winners) for g in gaps] == [(2, "outscored", (1,))]
    assert (gaps[0].reasons[0].count, gaps[0].reasons[0].params) == (1, {"needs": [1]})


def test_filled_needs_have_no_explanation_and_partial_ones_count_open_slots():
    gaps, _, _ = run(make_needs({"slots": 1}, {"slots": 3}), make_offers({"capacity": 1}, {"capacity": 2}))
    # Need 2 takes both offers (a pair only once), need 1 takes capacity left over on one of them.
    assert [(g.need_id, g.unfilled, g.primary) for g in gaps] == [(2, 1, "too_few")]
    assert (gaps[0].reasons[0].count, gaps[0].reasons[0].params) == (2, {"positions": 3})


def test_the_summary_counts_open_positions_by_area_country_and_reason():
    needs = make_needs({"area": 1, "slots": 2, "duty_country": 5}, {"area": 1, "slots": 1, "duty_country": 5},
                       {"languages": [(1, 6)], "duty_country": 6})
    gaps, _, _ = run(needs, make_offers({"languages": [(1, 3)]}))
    rows = gap_summary(gaps, needs)
    assert [(r.area, r.duty_country, r.code, r.needs, r.unfilled) for r in rows] == [
        (1, 5, "area", 2, 3), (0, 6, "language", 1, 1),
    ]
