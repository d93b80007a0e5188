"""The manual match form: search above the pair, the need's free positions, and a pair that already
exists linked to its proposal, all before anything is saved."""

from __future__ import annotations

from tests.factories import make_need, make_offer, make_proposal
from tests.web.html import parse


def test_the_search_comes_before_the_pair_and_its_results_choose_the_need(as_officer, session):
    need = make_need(session, title="Electoral logistics adviser")
    html = as_officer.get("/officer/match?need_q=Electoral").text
    assert html.index('id="find-title"') < html.index('action="/officer/match" class="stack')
    choose = next((a for a in parse(html).find_all("a") if a.text == f"Choose need {need.id}"), None)
    assert choose is not None and f"need_id={need.id}" in choose.get("href")


def test_the_form_shows_the_needs_free_positions_and_the_pairs_match_out_of_100(as_officer, session):
    need, offer = make_need(session, positions=3), make_offer(session)
    taken = make_proposal(session, None, score=0.7, need=need)
    taken.status = "approved"
    session.flush()
    doc = parse(as_officer.get(f"/officer/match?need_id={need.id}&offer_id={offer.id}").text)
    assert doc.by_id("free-positions").text == "2 of the need's 3 positions are free."
    assert doc.by_id("existing-pair") is None
    match = doc.by_id("pair-match").text
    assert match.endswith("out of 100") and 0 <= int(match.split()[0]) <= 100


def test_a_pair_that_already_exists_links_to_its_proposal(as_officer, session):
    need, offer = make_need(session, positions=2), make_offer(session)
    existing = make_proposal(session, None, score=0.7, need=need, offer=offer)
    doc = parse(as_officer.get(f"/officer/match?need_id={need.id}&offer_id={offer.id}").text)
    link = doc.by_id("existing-pair").find("a")
    assert link.get("href") == f"/proposals/{existing.id}" and link.text == f"open proposal {existing.id}"
