"""A run's page read in French: headings, figures with French numbers, and the gap explanations
written from the codes and values the run stored."""

from __future__ import annotations

from capmatch.matching.models import RunGap
from tests.factories import make_need, make_run
from tests.web.html import parse

NNBSP, NBSP = "\u202f", "\u00a0"


def test_a_run_page_reads_in_french_with_its_gaps_explained_in_french(as_officer, officer, session):
    officer.language = "fr"  # an officer who chose French on their account
    run = make_run(session, positions_open=1250, positions_filled=1200, total_score=1234.5, south_south_share=0.954,
                   figures={"method": "assignment", "status": "optimal", "unfilled_needs": 1})
    need = make_need(session, title="Electoral adviser", positions=2)
    session.add(RunGap(run_id=run.id, need_id=need.id, unfilled=2, reasons=[
        {"code": "language", "count": 2, "params": {"area": "Elections", "languages": [["French", "C1"]]},
         "message": "2 offers in Elections lack French at C1"},
        {"code": "arrival", "count": 1, "params": {"date": "2027-03-01"},
         "message": "1 offer cannot be there before 1 Mar 2027"},
    ]))
    session.flush()

    page = as_officer.get(f"/officer/runs/{run.id}").text
    # Babel's French groups digits with a narrow no-break space and puts a no-break space before
    # "%" and ":"; the parsed text below shows every space as a plain one.
    assert f"1{NNBSP}200 sur 1{NNBSP}250 pourvus" in page and f"95{NBSP}%" in page
    doc = parse(page)
    assert doc.find("h1").text == f"Exécution d’appariement {run.id}"
    assert doc.by_id("figures-title").text == "Résultat"
    figures = {d.find("dt").text: d.find("dd") for d in doc.find("dl", aria_labelledby="figures-title").find_all("div")}
    assert figures["Postes pourvus"].text == "1 200 sur 1 250 pourvus ; non pourvus : 50, dans 1 besoin"
    assert figures["Score total"].text.startswith("1 234,50")
    assert figures["Part Sud-Sud"].text == "95 %"
    assert doc.find("a", href=f"/officer/runs/{run.id}?tab=gaps").text == "Postes non pourvus (50 dans 1 besoin)"

    doc = parse(as_officer.get(f"/officer/runs/{run.id}?tab=gaps").text)
    assert doc.by_id("gaps-title").text == "Postes non pourvus et raisons"
    row = doc.find("table", class_="gaps").find("tbody").find("tr")
    assert [li.text for li in row.find_all("li")] == [
        "2 offres dans le domaine Elections n’ont pas le niveau de langue requis : French au niveau C1",
        "1 offre ne peut pas être sur place avant le 1er mars 2027",
    ]


def test_the_same_gaps_read_in_english_from_the_same_stored_values(as_officer, session):
    run = make_run(session)
    need = make_need(session, title="Electoral adviser", positions=1)
    session.add(RunGap(run_id=run.id, need_id=need.id, unfilled=1, reasons=[
        {"code": "outscored", "count": 2, "params": {"needs": [7, 9]}, "message": "stored English"},
        {"code": "winners", "count": 2, "need_ids": [7, 9], "params": {"needs": [7, 9]}, "message": "stored English"},
    ]))
    session.flush()
    doc = parse(as_officer.get(f"/officer/runs/{run.id}?tab=gaps").text)
    assert [li.text for li in doc.find("table", class_="gaps").find_all("li")] == [
        "2 candidate offers went to higher-scoring needs (7, 9)", "Needs that took the contested offers: 7, 9"]
