"""The reports over HTTP: who may read them (pages and JSON), the filters' errors, the target form, the charts."""

from __future__ import annotations

import re

import pytest

from capmatch.reports.service import REPORTS
from tests.factories import make_user
from tests.reports.world import build_report_world
from tests.web.html import csrf_of, parse
from tests.web.test_form_errors_at_once import shown_at_once


@pytest.fixture
def world(session):
    return build_report_world(session)


@pytest.fixture
def officer(session):
    return make_user(session, role="officer")


def test_an_officer_sees_every_report_with_its_charts_and_tables(client, login, world, officer):
    page = login(officer).get("/reports")
    assert page.status_code == 200
    doc = parse(page.text)
    for name in REPORTS:
        assert doc.find("section", id=name) is not None, name
    assert len([s for f in doc.find_all("figure", class_="chart") for s in f.find_all("svg", role="img")]) == 9  # no run yet: no gap charts
    assert "<script" not in page.text.split("<main", 1)[1]  # nothing a reader would need script for
    assert ' style="' not in page.text and "<style" not in page.text  # the Content-Security-Policy refuses both
    assert doc.find(data_figure="fill-rate").text == "4 of 5 positions filled: 80.0%."
    table = doc.find("table", data_report="time-to-match")
    cells = [[c.text for c in tr.iter() if c.tag in ("th", "td")] for tr in table.find("tbody").find_all("tr")]
    assert cells[0] == ["First proposal", "4", "1.5", "4.1", "3"]


def test_one_report_has_a_page_of_its_own_and_filters_apply(client, login, world, officer):
    page = login(officer).get("/reports/fill-rate", params={"cluster": "safety_security"})
    assert page.status_code == 200
    doc = parse(page.text)
    assert [s.get("id") for s in doc.find_all("section", class_="report")] == ["fill-rate"]
    assert doc.find(data_figure="fill-rate").text == "0 of 1 positions filled: 0.0%."
    assert login(officer).get("/reports/nothing").status_code == 404


@pytest.mark.parametrize(("params", "field"), [
    ({"date_from": "2026-13-01"}, "date_from"), ({"date_from": "2026-02-01", "date_to": "2026-01-01"}, "date_to"),
    ({"cluster": "nope"}, "cluster"), ({"area": "nope"}, "area"), ({"region": "Atlantis"}, "region"),
    ({"requester": "abc"}, "requester"), ({"requester": "²"}, "requester"), ({"requester": "99999999999"}, "requester"),
])
def test_bad_filters_are_named_on_the_page_and_in_the_api(client, login, bearer, world, officer, params, field):
    page = login(officer).get("/reports", params=params)
    assert page.status_code == 400
    assert parse(page.text).by_id(f"f-{field}-error") is not None
    assert "There is a problem" in page.text
    answer = client.get("/api/v1/reports/fill-rate", params=params, headers=bearer(officer))
    assert answer.status_code == 422
    assert answer.json()["error"]["fields"][0]["field"] == field


def test_every_bad_filter_is_named_in_one_answer(client, login, bearer, world, officer):
    params = {"date_from": "soon", "date_to": "2026-02-30", "cluster": "nope", "region": "Atlantis", "requester": "x"}
    page = login(officer).get("/reports", params=params)
    assert page.status_code == 400
    shown_at_once(page, {
        "f-date_from": "Enter the start of the period as a date (YYYY-MM-DD).",
        "f-date_to": "Enter the end of the period as a date (YYYY-MM-DD).",
        "f-cluster": "Choose one of the clusters.",
        "f-region": "Choose one of the regions.",
        "f-requester": "Choose one of the requesting organizations.",
    })
    answer = client.get("/api/v1/reports/fill-rate", params=params, headers=bearer(officer))
    assert answer.status_code == 422
    assert {f["field"] for f in answer.json()["error"]["fields"]} == {"date_from", "date_to", "cluster", "region",
                                                                      "requester"}


def test_the_api_lists_the_reports_and_answers_their_figures(client, bearer, world, officer):
    listed = client.get("/api/v1/reports", headers=bearer(officer))
    assert listed.status_code == 200
    assert [r["name"] for r in listed.json()] == list(REPORTS)
    assert all(r["title"] and r["description"] for r in listed.json())
    for name in REPORTS:
        answer = client.get(f"/api/v1/reports/{name}", headers=bearer(officer))
        assert answer.status_code == 200, (name, answer.text)
        assert answer.json()["name"] == name
    body = client.get("/api/v1/reports/fill-rate", params={"requester": world.m1}, headers=bearer(officer)).json()
    assert body["filters"]["requester"] == world.m1
    assert (body["figures"]["posted"], body["figures"]["filled"], body["figures"]["rate"]) == (3, 2, 0.6667)
    assert client.get("/api/v1/reports/nothing", headers=bearer(officer)).status_code == 404


@pytest.mark.parametrize("role", ["requester", "provider"])
def test_only_the_secretariat_reads_the_reports(client, login, bearer, session, world, role):
    user = make_user(session, role=role)
    headers = bearer(user)
    session.commit()  # a refused request rolls back what the test had not committed
    for path in ["/api/v1/reports", *[f"/api/v1/reports/{name}" for name in REPORTS]]:
        assert client.get(path, headers=headers).status_code == 403, path
        assert client.get(path).status_code == 401, path
    signed_in = login(user)
    for path in ["/reports", *[f"/reports/{name}" for name in REPORTS]]:
        assert signed_in.get(path, follow_redirects=False).status_code == 403, path


def test_a_visitor_is_sent_to_sign_in_but_sees_the_public_summary(client, session, world):
    session.commit()  # a refused request rolls back what the test had not committed
    answer = client.get("/reports/gaps", follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/login?next=/reports/gaps")
    home = parse(client.get("/").text)
    assert home.find(data_figure="fill-rate").text == "80%"
    assert home.find(data_figure="south-south-share").text == "25%"
    assert home.find(data_figure="women-deployed").text == "50%"
    css = client.get("/reports/charts.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert ".pygal-chart" in css.text and "#chart-" not in css.text


def test_the_secretariat_sets_the_time_target(client, login, session, world, officer):
    signed_in = login(officer)
    token = csrf_of(parse(signed_in.get("/reports").text))
    for bad in ("0", "366", "abc", "", "٣"):
        refused = signed_in.post("/reports/target", data={"csrf_token": token, "target_days": bad})
        assert refused.status_code == 400, bad
        assert parse(refused.text).by_id("f-target_days-error") is not None
    done = signed_in.post("/reports/target", data={"csrf_token": token, "target_days": "4"}, follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, "/reports")
    table = parse(signed_in.get("/reports/time-to-match").text).find("table", data_report="time-to-match")
    assert [tr.find_all("td")[-1].text for tr in table.find("tbody").find_all("tr")] == ["3", "2", "1"]
    assert re.search(r"target 4 days", table.find("caption").text)


def test_a_requester_cannot_set_the_target(client, login, session, world):
    user = make_user(session, role="requester")
    signed_in = login(user)
    token = csrf_of(parse(signed_in.get("/").text))
    answer = signed_in.post("/reports/target", data={"csrf_token": token, "target_days": "9"}, follow_redirects=False)
    assert answer.status_code == 403
