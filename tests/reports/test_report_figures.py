"""Every report's figures on the hand-counted marketplace of tests/reports/world.py."""

from __future__ import annotations

from datetime import date

import pytest

from capmatch.auth.actor import Actor
from capmatch.reports import service
from capmatch.reports.filters import ReportFilters
from tests.reports.world import build_report_world

OFFICER = Actor(user_id=0, role="officer", organization_id=None)
TODAY = date(2026, 6, 1)


@pytest.fixture
def world(session):
    return build_report_world(session)


def figures(session, name, **filters):
    return service.run_report(session, actor=OFFICER, name=name, filters=ReportFilters(**filters), today=TODAY)


def rows(items):
    return [(r.name, r.posted, r.filled, r.rate) for r in items]


def test_fill_rate_counts_positions_held_by_approved_or_later_proposals(session, world):
    f = figures(session, "fill-rate")
    assert (f.posted, f.filled, f.rate) == (5, 4, 0.8)
    assert rows(f.by_cluster) == [("Justice", 4, 4, 1.0), ("Safety and security", 1, 0, 0.0)]
    assert rows(f.by_area) == [("Corrections", 4, 4, 1.0), ("Police", 1, 0, 0.0)]
    names = {r.key: (r.posted, r.filled, r.rate) for r in f.by_mission}
    assert names == {str(world.m1): (3, 2, 0.6667), str(world.m2): (1, 1, 1.0), str(world.m3): (1, 1, 1.0)}
    assert {r.key: (r.posted, r.filled) for r in f.by_duty_country} == {
        "SSD": (2, 2), "CAF": (1, 0), "HTI": (1, 1), "MLI": (1, 1)}


def test_time_to_match_gives_median_p90_and_needs_within_the_target(session, world):
    f = figures(session, "time-to-match")
    assert (f.target_days, f.needs) == (3, 4)
    got = {m.name: (m.reached, m.median_days, m.p90_days, m.within_target) for m in f.milestones}
    assert got == {
        "first_proposal": (4, 1.5, 4.1, 3),  # 1, 1, 2, 5 days
        "agreement": (2, 3.5, 3.9, 1),  # N6 in 3 days, N1 in 4
        "deployment": (2, 5.0, 5.8, 0),  # N6 in 4 days, N1 in 6
    }


def test_the_secretariats_target_changes_what_counts_as_met(session, world):
    service.set_target_days(session, actor=OFFICER, days=4)
    f = figures(session, "time-to-match")
    assert [(m.name, m.within_target) for m in f.milestones] == [
        ("first_proposal", 3), ("agreement", 2), ("deployment", 1)]


def test_south_south_share_by_month_filled(session, world):
    f = figures(session, "south-south")
    assert (f.filled, f.south_south, f.share) == (4, 1, 0.25)
    assert [(m.month, m.filled, m.south_south, m.share) for m in f.by_month] == [
        ("2025-05", 1, 0, 0.0), ("2026-01", 2, 1, 0.5), ("2026-03", 1, 0, 0.0)]


def test_womens_share_at_each_stage_against_the_needs_targets(session, world):
    f = figures(session, "gender")
    assert f.needs_with_target == 2
    assert [(s.stage, s.experts, s.women, s.share, s.target) for s in f.stages] == [
        ("proposed", 5, 2, 0.4, 0.4333),  # the superseded proposal is not counted
        ("agreed", 3, 1, 0.3333, 0.5),
        ("deployed", 2, 1, 0.5, 0.5),
    ]


def test_contributor_base(session, world):
    f = figures(session, "contributors")
    assert (f.filled, f.organizations, f.countries, f.year) == (4, 2, 2, 2026)
    assert (f.new_this_year, f.south_share, f.top_share) == (1, 0.5, 1.0)  # P2 first contributed in 2025
    assert sorted((p.organization_id, p.filled, p.share) for p in f.top) == [(world.p1, 2, 0.5), (world.p2, 2, 0.5)]


def test_workflow_response_times_and_expired_steps(session, world):
    f = figures(session, "workflow")
    got = {r.party: (r.answered, r.median_days, r.p90_days) for r in f.responses}
    assert got == {"officer": (5, 1.0, 2.2), "requester": (3, 1.0, 2.6), "provider": (3, 1.0, 1.8)}
    assert f.approved == 5
    assert [(e.waiting_on, e.steps) for e in f.expired] == [("both", 1), ("requester", 0), ("provider", 0)]
    assert f.expired_total == 1


@pytest.mark.parametrize(("filters", "posted", "filled"), [
    ({"cluster": "safety_security"}, 1, 0),
    ({"area": "corrections"}, 4, 4),
    ({"region": "Americas"}, 1, 1),
    ({"date_from": date(2026, 1, 1), "date_to": date(2026, 1, 31)}, 2, 2),
    ({"date_from": date(2026, 1, 10), "date_to": date(2026, 1, 10)}, 2, 2),  # both ends of the period count
    ({"date_to": date(2025, 12, 31)}, 1, 1),
])
def test_filters_select_the_needs(session, world, filters, posted, filled):
    f = figures(session, "fill-rate", **filters)
    assert (f.posted, f.filled) == (posted, filled)


def test_the_requester_filter_applies_to_every_report(session, world):
    assert figures(session, "fill-rate", requester=world.m1).posted == 3
    assert figures(session, "south-south", requester=world.m1).filled == 2
    assert [s.experts for s in figures(session, "gender", requester=world.m1).stages] == [3, 2, 1]
    contributors = figures(session, "contributors", requester=world.m1)
    assert (contributors.filled, contributors.new_this_year) == (2, 1)
    assert figures(session, "workflow", requester=world.m1).approved == 3
    assert figures(session, "time-to-match", requester=world.m1).needs == 2
