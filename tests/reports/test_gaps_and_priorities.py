"""The gap analysis and the recruitment priorities read the latest run's gaps, for needs still open."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from capmatch.auth.actor import Actor
from capmatch.reports import service
from capmatch.reports.filters import ReportFilters
from tests.factories import make_need, make_offer, make_run, put_proposal
from capmatch.matching.models import RunGap

OFFICER = Actor(user_id=0, role="officer", organization_id=None)
TODAY = date(2026, 6, 1)


def gap(session, run, need, unfilled, *reasons):
    session.add(RunGap(run_id=run.id, need_id=need.id, unfilled=unfilled,
                       reasons=[{"code": c, "count": 1, "message": m} for c, m in reasons]))
    session.flush()


def build(session):
    old = make_run(session, finished_at=datetime(2026, 5, 1, tzinfo=UTC))
    latest = make_run(session, finished_at=datetime(2026, 5, 20, tzinfo=UTC))
    g1 = make_need(session, area_code="police", duty_country_iso3="CAF", positions=3, languages={"fra": 5},
                   min_years_experience=5, start_by=date(2027, 3, 1), duration_months=12)
    g2 = make_need(session, positions=2, min_years_experience=12)  # corrections, SSD, English at C1
    put_proposal(session, g2, make_offer(session), "approved")  # one of its two positions filled since the run
    closed = make_need(session, status="closed")
    earlier = make_need(session)
    gap(session, latest, g1, 3, ("language", "4 offers in Police lack French at C1"),
        ("arrival", "1 offer cannot be there before 2027-03-01"))
    gap(session, latest, g2, 2, ("outscored", "2 candidate offers went to higher-scoring needs (9)"),
        ("winners", ""))
    gap(session, latest, closed, 1, ("area", "no offer in Corrections"))
    gap(session, old, earlier, 1, ("area", "no offer in Corrections"))
    return latest, g1, g2


def table(rows):
    return [(r.key, r.name, r.needs, r.unfilled) for r in rows]


def test_gap_analysis_groups_the_latest_runs_open_positions(session):
    latest, g1, g2 = build(session)
    f = service.run_report(session, actor=OFFICER, name="gaps", filters=ReportFilters(), today=TODAY)
    assert (f.run_id, f.needs, f.unfilled) == (latest.id, 2, 4)
    assert table(f.by_area) == [("police", "Police", 1, 3), ("corrections", "Corrections", 1, 1)]
    assert table(f.by_language) == [("fra", "French", 1, 3), ("eng", "English", 1, 1)]
    assert table(f.by_level) == [("5", "C1", 2, 4)]
    assert table(f.by_experience) == [("5-9", "5-9", 1, 3), ("10-14", "10-14", 1, 1)]
    assert table(f.by_duty_region) == [("Africa", "Africa", 2, 4)]
    assert table(f.by_duty_country) == [("cf", "Central African Republic", 1, 3), ("ss", "South Sudan", 1, 1)]
    assert [(r.code, r.needs, r.unfilled) for r in f.reasons] == [("arrival", 1, 3), ("language", 1, 3),
                                                                   ("outscored", 1, 1)]
    assert f.reasons[1].example == "4 offers in Police lack French at C1"


def test_gap_analysis_follows_the_filters(session):
    build(session)
    f = service.run_report(session, actor=OFFICER, name="gaps", filters=ReportFilters(area="corrections"), today=TODAY)
    assert (f.needs, f.unfilled) == (1, 1)


def test_recruitment_priorities_name_the_profiles_and_the_needs_they_would_fill(session):
    make_offer(session, nationality_iso3="KEN", areas=["elections"])  # Africa's most frequent nationality
    latest, g1, g2 = build(session)
    f = service.run_report(session, actor=OFFICER, name="priorities", filters=ReportFilters(), today=TODAY)
    assert (f.run_id, f.unfilled) == (latest.id, 4)
    got = [(p.rank, p.area, [(l.code, l.level) for l in p.languages], p.region, p.country, p.positions,
            p.added_positions, p.need_ids) for p in f.priorities]
    assert got == [
        (1, "police", [("fra", "C1")], "Africa", "KEN", 3, 3, [g1.id]),
        (2, "corrections", [("eng", "C1")], "Africa", "KEN", 1, 1, [g2.id]),
    ]
    start = date(2027, 3, 1)
    assert (f.priorities[0].available_from, f.priorities[0].available_until) == (
        start.isoformat(), (start + timedelta(days=360)).isoformat())


def test_without_a_run_there_are_no_gaps_or_priorities(session):
    make_need(session)
    gaps = service.run_report(session, actor=OFFICER, name="gaps", filters=ReportFilters(), today=TODAY)
    priorities = service.run_report(session, actor=OFFICER, name="priorities", filters=ReportFilters(), today=TODAY)
    assert (gaps.run_id, gaps.unfilled, priorities.priorities) == (None, 0, [])
