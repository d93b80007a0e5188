"""A run's page refreshes itself without JavaScript while the run works, and stops once it is done."""

from __future__ import annotations

import pytest

from tests.factories import make_run
from tests.web.html import parse


def refresh_of(html: str):
    return parse(html).find("meta", http_equiv="refresh")


@pytest.mark.parametrize("status", ["queued", "running"])
def test_a_working_run_page_reloads_itself_and_polls_its_status(as_officer, session, status):
    run = make_run(session, status=status)
    html = as_officer.get(f"/officer/runs/{run.id}").text
    meta = refresh_of(html)
    assert meta is not None and meta.get("content") == "5" and meta.parent.tag == "noscript"
    assert parse(html).by_id("run-status").get("hx-get") == f"/officer/runs/{run.id}/status?live=1"


@pytest.mark.parametrize("status", ["succeeded", "failed"])
def test_a_finished_run_page_does_not_reload_itself(as_officer, session, status):
    run = make_run(session, status=status)
    html = as_officer.get(f"/officer/runs/{run.id}").text
    assert refresh_of(html) is None
    assert parse(html).by_id("run-status").get("hx-get") is None
