"""The reports in a real browser: an officer opens /reports and sees the charts, drawn without script,
beside their tables, with nothing refused by the Content-Security-Policy."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.matching.models import RunGap
from tests.browser.conftest import sign_in
from tests.factories import make_run
from tests.reports.world import build_report_world

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def report_data(story_database):
    url, people = story_database
    engine = sa.create_engine(url)
    with Session(engine) as session:
        world = build_report_world(session)
        run = make_run(session, finished_at=datetime(2026, 5, 20, tzinfo=UTC))
        session.add(RunGap(run_id=run.id, need_id=world.needs["n2"], unfilled=1,
                           reasons=[{"code": "language", "count": 2, "message": "2 offers in Police lack French at C1"}]))
        session.commit()
    engine.dispose()
    return people


def test_an_officer_sees_the_charts_and_their_tables(browser, live_server, report_data, shots):
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900},
                                  java_script_enabled=False)
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    page.set_default_timeout(15_000)
    sign_in(page, report_data.officer, report_data.password)
    page.click("nav[aria-label=Main] >> text=Reports")
    page.wait_for_load_state()
    assert page.url.endswith("/reports")
    fill = page.locator("#fill-rate")
    assert fill.locator("[data-figure=fill-rate]").inner_text() == "4 of 5 positions filled: 80.0%."
    chart = fill.locator("figure.chart svg").first
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box["width"] > 300 and box["height"] > 100
    # The chart is styled by the served stylesheet: its background rule applied, not the browser's black fill.
    assert chart.locator(".background").first.evaluate("el => getComputedStyle(el).fill") != "rgb(0, 0, 0)"
    assert fill.locator("table.report-table").first.locator("tbody tr").count() == 2  # two clusters
    world = page.locator("#chart-gaps-map > svg")
    assert world.is_visible()
    assert page.locator("#gaps table.report-table").first.inner_text().count("Central African Republic") == 1
    for name in ("time-to-match", "south-south", "gender", "contributors", "workflow", "gaps", "priorities"):
        assert page.locator(f"#{name} table").first.is_visible(), name
    assert page.locator("#priorities tbody tr").first.inner_text().startswith("1")
    shots(page, "reports")
    context.close()
    assert refused == []
