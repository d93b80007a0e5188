"""Two runs side by side: their figures, counted from their proposals, and the proposals that differ."""

from __future__ import annotations

import pytest

from capmatch.auth.actor import SYSTEM
from capmatch.matching import queries
from capmatch.pagination import PageRequest
from tests.factories import breakdown, make_need, make_offer, make_organization, make_proposal, make_run
from tests.web.html import parse


def south(flag: bool) -> dict:
    return {**breakdown(0.5), "south_south": 1.0 if flag else 0.0}


@pytest.fixture
def pair(session):
    """Run A fills needs 1-3 with X, Y, Z; run B fills need 1 with X and need 2 with W, and leaves need 3.

    X: a Kenyan woman (provider K1); Y: a Norwegian man (N1); Z: gender not said (K1); W: a Kenyan woman (K2).
    """
    k1, k2 = make_organization(session, country_iso3="KEN"), make_organization(session, country_iso3="KEN")
    n1 = make_organization(session, country_iso3="NOR")
    x = make_offer(session, provider_org_id=k1.id, gender="female", title="Offer X")
    y = make_offer(session, provider_org_id=n1.id, gender="male", nationality_iso3="NOR", title="Offer Y")
    z = make_offer(session, provider_org_id=k1.id, gender="undisclosed", title="Offer Z")
    w = make_offer(session, provider_org_id=k2.id, gender="female", title="Offer W")
    needs = [make_need(session, title=f"Need {i}") for i in (1, 2, 3)]
    a = make_run(session, positions_open=3, policy_snapshot={"name": "default", "weights": {}, "constraints": {}})
    b = make_run(session, positions_open=3,
                 policy_snapshot={"name": "south-south-first", "weights": {}, "constraints": {}})
    for run, need, offer, score, is_south in ((a, needs[0], x, 0.9, True), (a, needs[1], y, 0.6, False),
                                              (a, needs[2], z, 0.5, True), (b, needs[0], x, 0.9, True),
                                              (b, needs[1], w, 0.7, True)):
        # Run B superseded what run A proposed: a run's figures count its proposals whatever became of them.
        proposal = make_proposal(session, run, score=score, need=need, offer=offer, breakdown=south(is_south))
        if run is a:
            proposal.status = "superseded"
            session.flush()
    return a, b, needs, {"x": x, "y": y, "z": z, "w": w}


def test_the_figures_of_each_run_are_exact(session, pair):
    a, b, needs, offers = pair
    c = queries.compare_runs(session, actor=SYSTEM, a=a.id, b=b.id, page=PageRequest(1, 50))
    assert (c.a.positions_filled, c.a.total_score, c.a.providers, c.a.provider_countries) == (3, pytest.approx(2.0), 2, 2)
    assert c.a.south_south_share == pytest.approx(2 / 3)
    assert c.a.women_share == pytest.approx(0.5)  # X a woman, Y a man; Z's gender is not known
    assert (c.b.positions_filled, c.b.total_score, c.b.providers, c.b.provider_countries) == (2, pytest.approx(1.6), 2, 1)
    assert (c.b.south_south_share, c.b.women_share) == (1.0, 1.0)
    assert (c.a.policy, c.b.policy, c.a.positions_open) == ("default", "south-south-first", 3)

    assert c.differing_needs == 2
    (second, third) = c.differences
    assert (second.need_id, [o["id"] for o in second.only_a], [o["id"] for o in second.only_b]) == (
        needs[1].id, [offers["y"].id], [offers["w"].id])
    assert (third.need_id, [o["title"] for o in third.only_a], third.only_b) == (needs[2].id, ["Offer Z"], [])
    page_two = queries.compare_runs(session, actor=SYSTEM, a=a.id, b=b.id, page=PageRequest(2, 1))
    assert [d.need_id for d in page_two.differences] == [needs[2].id] and page_two.differing_needs == 2


def test_the_comparison_page_shows_both_runs_and_what_differs(as_officer, pair):
    a, b, needs, offers = pair
    doc = parse(as_officer.get(f"/officer/runs/compare?a={a.id}&b={b.id}").text)
    cells = lambda row_id: [td.text for td in doc.by_id(row_id).find_all("td")]  # noqa: E731
    assert cells("figure-filled") == ["3 of 3", "2 of 3"]
    assert cells("figure-score") == ["2.00", "1.60"]
    assert cells("figure-south") == ["67%", "100%"]
    assert cells("figure-women") == ["50%", "100%"]
    assert cells("figure-providers") == ["2", "2"] and cells("figure-countries") == ["2", "1"]
    rows = doc.find("table", class_="differences").find("tbody").find_all("tr")
    assert [r.find("th").text for r in rows] == ["Need 2", "Need 3"]
    assert "Offer Y" in rows[0].find_all("td")[0].text and "Offer W" in rows[0].find_all("td")[1].text
    assert rows[1].find_all("td")[1].text == "none"
    assert "2 needs filled differently" in doc.by_id("differences").text


def test_the_runs_list_lets_the_officer_pick_two_runs_to_compare(as_officer, pair):
    a, b, _, _ = pair
    doc = parse(as_officer.get("/officer/runs").text)
    form = doc.find("form", class_="compare-pick")
    assert form.get("method") == "get" and form.get("action") == "/officer/runs/compare"
    assert form.find("input", name="a", value=str(a.id)).get("checked") is not None  # the older run as A
    assert form.find("input", name="b", value=str(b.id)).get("checked") is not None  # the newest as B
    assert form.find("input", name="a", value=str(a.id)).get("aria-label") == f"Run {a.id} as run A"


@pytest.mark.parametrize(("query", "field", "message"), [
    ("a=abc&b=1", "f-a", "Enter the number of a match run"),
    ("a=1&b=-3", "f-b", "Enter the number of a match run"),
    ("b=1e3", "f-b", "Enter the number of a match run"),
    ("a=999999&b={b}", "f-a", "No match run has the number 999999."),
])
def test_bad_run_numbers_are_shown_on_their_fields(as_officer, pair, query, field, message):
    response = as_officer.get("/officer/runs/compare?" + query.format(b=pair[1].id))
    assert response.status_code == 400
    assert message in parse(response.text).by_id(f"{field}-error").text


def test_without_run_numbers_the_page_asks_for_them(as_officer):
    response = as_officer.get("/officer/runs/compare")
    assert response.status_code == 200
    doc = parse(response.text)
    assert doc.find("input", name="a") is not None and doc.find("table", class_="comparison") is None


def test_a_run_page_links_to_the_comparison_with_that_run_filled_in(as_officer, pair):
    _, b, _, _ = pair
    link = parse(as_officer.get(f"/officer/runs/{b.id}").text).find("a", href=f"/officer/runs/compare?b={b.id}")
    assert link is not None and link.text == "Compare this run with another"
    response = as_officer.get(link.get("href"))
    assert response.status_code == 200
    doc = parse(response.text)
    assert doc.find("input", name="b").get("value") == str(b.id) and doc.find(class_="error-summary") is None
