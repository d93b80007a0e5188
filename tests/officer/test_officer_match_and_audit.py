"""Matching by hand, the audit trail, and the dashboard's counts."""

from __future__ import annotations

import sqlalchemy as sa

from capmatch.proposals.models import Proposal
from tests.factories import make_need, make_offer, make_proposal, make_run
from tests.officer.conftest import post
from tests.web.html import parse


def test_an_officer_matches_a_need_and_an_offer_by_hand(as_officer, session, officer):
    need = make_need(session, title="Prison reform adviser")
    offer = make_offer(session, title="Corrections expert from Kenya")
    response = post(as_officer, "/officer/match", {"need_id": str(need.id), "offer_id": str(offer.id),
                                                   "reason": "The mission asked for this expert by name."})
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/officer/proposals?need={need.id}"
    proposal = session.scalar(sa.select(Proposal).where(Proposal.need_id == need.id))
    assert (proposal.offer_id, proposal.status, proposal.run_id, proposal.created_by_id) == (
        offer.id, "proposed", None, officer.id)
    doc = parse(as_officer.get(response.headers["location"]).text)
    assert f"Proposal {proposal.id} is made" in doc.find(class_="flash").text
    assert doc.by_id(f"proposal-{proposal.id}") is not None


def test_a_manual_match_needs_a_reason_and_real_numbers(as_officer, session):
    need = make_need(session)
    response = post(as_officer, "/officer/match", {"need_id": str(need.id), "offer_id": "999999", "reason": ""})
    assert response.status_code == 400
    doc = parse(response.text)
    assert doc.by_id("f-reason-error").text == "Error: Say why you match these by hand."
    assert doc.find("input", name="need_id").get("value") == str(need.id)

    response = post(as_officer, "/officer/match", {"need_id": str(need.id), "offer_id": "999999", "reason": "Asked."})
    assert response.status_code == 400
    assert parse(response.text).by_id("f-offer_id-error").text == "Error: No offer has the id 999999."

    response = post(as_officer, "/officer/match", {"need_id": "x", "offer_id": "", "reason": "Asked."})
    doc = parse(response.text)
    assert doc.by_id("f-need_id-error") is not None and doc.by_id("f-offer_id-error") is not None
    assert session.scalar(sa.select(sa.func.count()).select_from(Proposal)) == 0


def test_a_closed_need_cannot_be_matched_by_hand(as_officer, session):
    need = make_need(session, status="cancelled")
    offer = make_offer(session)
    response = post(as_officer, "/officer/match", {"need_id": str(need.id), "offer_id": str(offer.id),
                                                   "reason": "Asked."})
    assert response.status_code == 400
    assert "only an open need takes proposals" in parse(response.text).by_id("f-need_id-error").text


def test_the_match_page_looks_up_and_searches_needs_and_offers(as_officer, session):
    need = make_need(session, title="Judicial mentor for Juba")
    offer = make_offer(session, title="Senior judge, retired")
    session.commit()
    doc = parse(as_officer.get(f"/officer/match?need_id={need.id}&offer_id={offer.id}").text)
    assert doc.by_id("need-lookup").find("a").text == "Judicial mentor for Juba"
    assert doc.by_id("offer-lookup").find("a").text == "Senior judge, retired"

    partial = parse(as_officer.get("/officer/match/lookup?offer_id=999999").text)
    assert partial.text == "No offer has this number."
    partial = parse(as_officer.get("/officer/match/lookup?need_id=999999").text)
    assert partial.text == "No need has this number."

    doc = parse(as_officer.get("/officer/match?need_q=judicial&offer_q=judge").text)
    assert doc.find("a", href=f"/officer/match?need_q=judicial&offer_q=judge&need_id={need.id}") is not None
    assert doc.find("a", href=f"/officer/match?need_q=judicial&offer_q=judge&offer_id={offer.id}") is not None


def test_the_audit_page_lists_who_changed_a_proposal_when_and_why(as_officer, session, officer):
    run = make_run(session)
    proposal = make_proposal(session, run, score=0.9)
    page = f"/officer/runs/{run.id}"
    post(as_officer, page, {"reject_one": str(proposal.id), "reason": "Not the right level."}, token_from=page)

    doc = parse(as_officer.get(f"/officer/audit?entity=proposal&id={proposal.id}").text)
    assert doc.find("h1").text == f"Audit trail: proposal {proposal.id}"
    rows = doc.find("table", class_="audit").find("tbody").find_all("tr")
    assert len(rows) == 1
    text = rows[0].text
    assert officer.full_name in text and officer.email in text
    assert "reject" in text and "proposed" in text and "rejected" in text and "Not the right level." in text


def test_the_audit_page_lists_a_runs_and_a_needs_events(as_officer, session, policies):
    page = "/officer/runs/new"
    response = post(as_officer, page, {"policy": "default"}, token_from=page)
    run_id = int(response.headers["location"].rsplit("/", 1)[1])
    doc = parse(as_officer.get(f"/officer/audit?entity=match_run&id={run_id}").text)
    assert f"Match run {run_id}." in doc.find(class_="lede").text
    assert "Created" in doc.find("table", class_="audit").text

    need = make_need(session)
    doc = parse(as_officer.get(f"/officer/audit?entity=need&id={need.id}").text)
    assert "No event is recorded for this need." in doc.text


def test_the_audit_page_refuses_an_unknown_kind_of_record(as_officer):
    response = as_officer.get("/officer/audit?entity=users&id=1")
    assert response.status_code == 400
    assert parse(response.text).by_id("f-entity-error") is not None
    assert as_officer.get("/officer/audit").status_code == 200  # the empty lookup form


def test_the_dashboard_counts_positions_and_proposals_awaiting_each_side(as_officer, session):
    full = make_need(session, positions=3)
    make_need(session, positions=2)
    make_need(session, positions=5, status="draft")  # not open: not counted
    statuses = ["proposed", "proposed", "approved", "accepted", "confirmed", "agreed"]
    for status in statuses:
        p = make_proposal(session, None, score=0.5, need=full if status in ("agreed", "approved") else None)
        p.status = status
    make_run(session, status="queued")
    session.flush()

    doc = parse(as_officer.get("/officer").text)
    figures = {d.find("dt").text: d.find("dd").text for d in doc.find_all("div") if d.parent.tag == "dl"}
    # Open needs: the two above plus one per proposal made with a fresh need (4).
    assert figures["Open positions"] == str(3 + 2 + 4)
    # The full need holds 2 of 3 (approved and agreed count; proposed does not); the accepted and
    # confirmed proposals' needs hold their one position each.
    assert figures["Unfilled positions"] == str(1 + 2 + 2)
    assert doc.by_id("awaiting-officer").text == "2"
    assert doc.by_id("awaiting-officer").get("href") == "/officer/proposals?status=proposed"
    assert doc.by_id("awaiting-requester").text == "2"  # approved, confirmed
    assert doc.by_id("awaiting-provider").text == "2"  # approved, accepted
    assert doc.by_id("awaiting-requester").get("href") == "/officer/proposals?status=approved&status=confirmed"
    assert "queued" in doc.find("table").text
