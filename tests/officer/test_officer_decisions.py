"""Approving and rejecting proposals from a run's page and from the proposals list, singly or in bulk."""

from __future__ import annotations

import sqlalchemy as sa

from capmatch.audit.models import AuditEvent
from capmatch.needs.models import Need
from capmatch.proposals.models import Proposal
from tests.factories import make_offer, make_proposal, make_run
from tests.officer.conftest import post
from tests.web.html import parse


def statuses(session, *proposals) -> list[str]:
    session.expire_all()
    return [session.get(Proposal, p.id).status for p in proposals]


def test_bulk_approve_approves_every_selected_proposal(as_officer, session, officer):
    run = make_run(session)
    a, b, c = (make_proposal(session, run, score=s) for s in (0.9, 0.8, 0.7))
    page = f"/officer/runs/{run.id}?sort=score"
    response = post(as_officer, page, {"action": "approve", "ids": [str(a.id), str(b.id)]}, token_from=page)
    assert response.status_code == 303 and response.headers["location"] == f"{page}#proposal-{a.id}"
    assert statuses(session, a, b, c) == ["approved", "approved", "proposed"]
    # Only this test's proposals: the race tests commit audit events that, append-only, stay behind.
    events = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.entity_type == "proposal", AuditEvent.action == "approve",
        AuditEvent.entity_id.in_([a.id, b.id, c.id]))).all()
    assert {(e.entity_id, e.actor_id, e.to_state) for e in events} == {(a.id, officer.id, "approved"),
                                                                       (b.id, officer.id, "approved")}
    doc = parse(as_officer.get(page).text)
    assert doc.find(class_="flash").text == "2 proposals are approved."
    assert doc.find("input", name="ids", value=str(a.id)) is None  # no longer selectable
    assert doc.find("input", name="ids", value=str(c.id)) is not None


def test_a_bulk_approval_approves_what_it_can_and_says_why_the_rest_could_not_be(as_officer, session):
    run = make_run(session)
    offer = make_offer(session, capacity=1)
    first = make_proposal(session, run, score=0.9, offer=offer)
    second = make_proposal(session, run, score=0.8, offer=offer)  # the same expert for another need
    third = make_proposal(session, run, score=0.7)
    page = f"/officer/runs/{run.id}"
    response = post(as_officer, page, {"action": "approve", "ids": [str(first.id), str(second.id), str(third.id)]},
                    token_from=page)
    assert response.status_code == 303 and response.headers["location"] == f"{page}#proposal-{first.id}"
    assert statuses(session, first, second, third) == ["approved", "proposed", "approved"]
    doc = parse(as_officer.get(page).text)
    flashes = [p.text for p in doc.find_all(class_="flash")]
    assert flashes == ["2 proposals are approved.",
                       f"1 could not be approved: Proposal {second.id}: "
                       "The only position of the offer is already reserved."]
    assert doc.find(class_="flash-error") is not None


def test_an_all_or_nothing_bulk_approval_with_one_refusal_changes_nothing(as_officer, session):
    run = make_run(session)
    offer = make_offer(session, capacity=1)
    first = make_proposal(session, run, score=0.9, offer=offer)
    second = make_proposal(session, run, score=0.8, offer=offer)
    third = make_proposal(session, run, score=0.7)
    page = f"/officer/runs/{run.id}"
    response = post(as_officer, page, {"action": "approve", "all_or_nothing": "1",
                                       "ids": [str(first.id), str(second.id), str(third.id)]}, token_from=page)
    assert response.status_code == 400
    doc = parse(response.text)
    summary = doc.find(class_="error-summary")
    assert summary.find("h2").text == "Nothing was changed"
    assert f"Proposal {second.id}: The only position of the offer is already reserved." in summary.text
    assert "checked" in doc.by_id("f-all-or-nothing").attrs  # the choice is kept for the next try
    assert statuses(session, first, second, third) == ["proposed", "proposed", "proposed"]
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.entity_type == "proposal")) == 0


def test_a_bulk_approval_where_none_can_be_approved_says_why_and_changes_nothing(as_officer, session):
    run = make_run(session)
    a, b = make_proposal(session, run, score=0.9), make_proposal(session, run, score=0.8)
    for p in (a, b):
        p.status = "rejected"
    session.flush()
    page = f"/officer/runs/{run.id}"
    response = post(as_officer, page, {"action": "approve", "ids": [str(a.id), str(b.id)]}, token_from=page)
    assert response.status_code == 400
    summary = parse(response.text).find(class_="error-summary")
    assert summary.find("h2").text == "Nothing was changed"
    assert f"Proposal {a.id}:" in summary.text and f"Proposal {b.id}:" in summary.text


def test_the_run_page_ticks_every_proposal_or_the_best_per_need_on_request(as_officer, session):
    run = make_run(session)
    one = make_proposal(session, run, score=0.6)
    better = make_proposal(session, run, score=0.9, need=session.get(Need, one.need_id))
    other = make_proposal(session, run, score=0.5)
    done = make_proposal(session, run, score=0.95, need=session.get(Need, other.need_id))
    done.status = "approved"
    session.flush()
    page = f"/officer/runs/{run.id}"

    def ticked(query: str) -> set[int]:
        doc = parse(as_officer.get(page + query).text)
        return {int(box.get("value")) for box in doc.find_all("input", name="ids")
                if "checked" in box.attrs}

    assert ticked("") == set()
    assert ticked("?pick=all") == {one.id, better.id, other.id}
    assert ticked("?pick=best") == {better.id, other.id}  # the approved one awaits no decision
    doc = parse(as_officer.get(page).text)
    assert doc.by_id("pick-best").get("href") == f"{page}?tab=proposals&sort=score&page=1&pick=best#proposals"
    # The form posts back without the pick, so the page after a decision ticks nothing anew.
    assert f'action="{page}?tab=proposals&amp;sort=score&amp;page=1"' in as_officer.get(page).text


def test_rejecting_without_a_reason_is_refused_on_the_reason_field(as_officer, session):
    run = make_run(session)
    a, b = make_proposal(session, run, score=0.9), make_proposal(session, run, score=0.8)
    page = f"/officer/runs/{run.id}"
    response = post(as_officer, page, {"action": "reject", "ids": [str(a.id), str(b.id)], "reason": "  "},
                    token_from=page)
    assert response.status_code == 400
    doc = parse(response.text)
    assert doc.by_id("f-reason-error").text == "Error: Give a reason to reject a proposal."
    assert doc.by_id("f-reason").get("aria-invalid") == "true"
    assert statuses(session, a, b) == ["proposed", "proposed"]

    response = post(as_officer, page, {"action": "reject", "ids": [str(a.id), str(b.id)],
                                       "reason": "The expert's French is not good enough."}, token_from=page)
    assert response.status_code == 303
    assert statuses(session, a, b) == ["rejected", "rejected"]
    assert session.get(Proposal, a.id).reason == "The expert's French is not good enough."


def test_a_row_button_decides_that_proposal_alone(as_officer, session):
    run = make_run(session)
    a, b = make_proposal(session, run, score=0.9), make_proposal(session, run, score=0.8)
    page = f"/officer/runs/{run.id}"
    doc = parse(as_officer.get(page).text)
    row = doc.by_id(f"proposal-{b.id}")
    assert row.find("button", name="approve_one").get("value") == str(b.id)
    # The ticked box is ignored when a row's own button is pressed.
    response = post(as_officer, page, {"approve_one": str(b.id), "ids": [str(a.id)]}, token_from=page)
    assert response.status_code == 303
    assert statuses(session, a, b) == ["proposed", "approved"]

    response = post(as_officer, page, {"reject_one": str(a.id), "reason": "Duplicate."}, token_from=page)
    assert response.status_code == 303
    assert statuses(session, a) == ["rejected"]


def test_deciding_with_nothing_ticked_asks_for_a_proposal(as_officer, session):
    run = make_run(session)
    make_proposal(session, run, score=0.9)
    page = f"/officer/runs/{run.id}"
    response = post(as_officer, page, {"action": "approve"}, token_from=page)
    assert response.status_code == 400
    doc = parse(response.text)
    assert "Tick at least one proposal." in doc.find(class_="error-summary").text

    response = post(as_officer, page, {"action": "reject", "reason": "Outside the mandate."}, token_from=page)
    assert parse(response.text).by_id("f-reason").text == "Outside the mandate."  # kept for the next try


def test_the_proposals_list_filters_by_status_and_approves(as_officer, session):
    run = make_run(session)
    a = make_proposal(session, run, score=0.9)
    b = make_proposal(session, None, score=0.5, reason="Known to the mission.")
    b.status = "rejected"
    session.flush()
    doc = parse(as_officer.get("/officer/proposals?status=proposed").text)
    rows = doc.find("table", class_="proposals").find("tbody").find_all("tr")
    assert [r.get("id") for r in rows] == [f"proposal-{a.id}"]
    assert doc.find("input", id="f-status-proposed").get("checked") is not None
    # A row links to the proposal's page, which holds its history and its need's (the list stays light).
    assert rows[0].find("a", href=f"/proposals/{a.id}") is not None
    proposal_page = parse(as_officer.get(f"/proposals/{a.id}").text)
    assert proposal_page.find("a", href=f"/officer/audit?entity=proposal&id={a.id}") is not None
    assert proposal_page.find("a", href=f"/officer/audit?entity=need&id={a.need_id}") is not None

    everything = parse(as_officer.get("/officer/proposals").text)
    assert len(everything.find("table", class_="proposals").find("tbody").find_all("tr")) == 2
    assert everything.find("input", name="ids", value=str(b.id)) is None  # rejected: nothing to decide

    page = "/officer/proposals?status=proposed"
    response = post(as_officer, page, {"action": "approve", "ids": [str(a.id)]}, token_from=page)
    assert response.status_code == 303 and response.headers["location"] == f"{page}#proposal-{a.id}"
    assert statuses(session, a) == ["approved"]


def test_the_proposals_list_filters_by_need_and_offer(as_officer, session):
    a, b = make_proposal(session, None, score=0.9), make_proposal(session, None, score=0.8)
    doc = parse(as_officer.get(f"/officer/proposals?need={a.need_id}").text)
    assert [r.get("id") for r in doc.find("tbody").find_all("tr")] == [f"proposal-{a.id}"]
    doc = parse(as_officer.get(f"/officer/proposals?offer={b.offer_id}").text)
    assert [r.get("id") for r in doc.find("tbody").find_all("tr")] == [f"proposal-{b.id}"]
    bad = as_officer.get("/officer/proposals?need=abc")
    assert bad.status_code == 400 and parse(bad.text).by_id("f-need-error") is not None
