"""The run page says which side constraints bound the run and what each cost, in plain words."""

from __future__ import annotations

from tests.factories import make_run
from tests.web.html import parse

# The priced instance of tests/unit/test_policy_price.py: 18 unconstrained, 14 with both floors.
PRICE = {
    "total": 14.0, "unconstrained_total": 18.0, "exact": True, "skipped": None, "seconds": 0.01,
    "constraints": [
        {"name": "min_south_south_share", "value": 0.5, "binding": True, "total_without": 18.0},
        {"name": "min_women_share", "value": 0.5, "binding": True, "total_without": 15.0},
        {"name": "max_provider_share", "value": 0.9, "binding": False, "total_without": 14.0},
    ],
}


def test_the_run_page_prices_each_constraint(as_officer, session):
    run = make_run(session, total_score=14.0, figures={"method": "milp", "status": "optimal", "policy_price": PRICE})
    doc = parse(as_officer.get(f"/officer/runs/{run.id}").text)
    summary = doc.by_id("price-summary").text
    assert "Without any side constraint, the best total score would be 18.00" in summary
    assert "it is 14.00: they cost 4.00 (22.2% of the score)" in summary
    row = lambda name: [c.text for c in doc.by_id(f"price-{name}").find_all("td")]  # noqa: E731
    assert row("min_south_south_share") == [
        "0.5", "Binding: the proposals sit exactly at this limit", "18.00", "4.00"]
    assert row("min_women_share")[2:] == ["15.00", "1.00"]
    assert row("max_provider_share") == ["0.9", "Not binding: met with room to spare", "14.00", "nothing"]
    assert doc.by_id("price-min_women_share").find("th").text == "Minimum women's share"
    assert "Constraints interact" in doc.by_id("policy-price").text


def test_constraints_priced_only_together_say_why(as_officer, session):
    price = {**PRICE, "skipped": "too_slow", "exact": False,
             "constraints": [{**c, "total_without": None} for c in PRICE["constraints"]]}
    run = make_run(session, figures={"policy_price": price})
    section = parse(as_officer.get(f"/officer/runs/{run.id}").text).by_id("policy-price")
    assert "took too long to repeat once per constraint" in section.text
    assert "close, not exact" in section.text
    assert [c.text for c in section.find("tbody").find("tr").find_all("td")][2:] == ["not measured", "—"]


def test_a_run_without_side_constraints_shows_no_price(as_officer, session):
    run = make_run(session)
    assert parse(as_officer.get(f"/officer/runs/{run.id}").text).by_id("policy-price") is None
