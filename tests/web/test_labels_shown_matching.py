"""No code appears where a label belongs, on the pages of match runs and proposals: run statuses,
what the solver reached, proposal statuses in each party's list and on the proposal's page, the
score's components and the policy's side constraints."""

from __future__ import annotations

import pytest

from capmatch.enums import PROPOSAL_STATUSES, RUN_STATUSES, SOLVER_OUTCOMES
from capmatch.matching.core.policy import COMPONENTS, CONSTRAINTS
from capmatch.proposals.inbox import PROVIDER_VIEWS, REQUESTER_VIEWS
from capmatch.web.labels import label
from tests.factories import make_need, make_offer, make_proposal, make_run, make_user, put_proposal
from tests.web.words import assert_column_in_words, assert_word_shown, cell, fact, page, row_of


@pytest.fixture
def officer(session, login):
    return login(make_user(session, role="officer"))


def proposals_in_every_status(session, run=None, requester_org_id=None, provider_org_id=None) -> dict[str, int]:
    """One proposal in each status, each between a need and an offer of its own (of the organizations
    given): status -> proposal id."""
    need_values = {"requester_org_id": requester_org_id} if requester_org_id else {}
    offer_values = {"provider_org_id": provider_org_id} if provider_org_id else {}
    extra = {"run_id": run.id} if run else {}
    return {status: put_proposal(session, make_need(session, **need_values), make_offer(session, **offer_values),
                                 status, **extra).id
            for status in PROPOSAL_STATUSES}


def test_the_officers_proposals_list_shows_every_status_in_words(session, officer):
    ids = proposals_in_every_status(session)
    doc = page(officer.get("/officer/proposals"))
    for status, proposal_id in ids.items():
        assert_word_shown(cell(doc.by_id(f"proposal-{proposal_id}"), "Status"), status)


@pytest.mark.parametrize("status", PROPOSAL_STATUSES)
def test_a_proposals_page_shows_its_status_in_words(status, session, officer):
    proposal = put_proposal(session, make_need(session), make_offer(session), status)
    doc = page(officer.get(f"/proposals/{proposal.id}"))
    assert_word_shown(doc.find("h1").find("span", class_="badge").text, status)
    assert_word_shown(doc.text, status)


def test_a_runs_proposals_show_every_status_in_words(session, officer):
    run = make_run(session)
    ids = proposals_in_every_status(session, run)
    doc = page(officer.get(f"/officer/runs/{run.id}"))
    for status, proposal_id in ids.items():
        assert_word_shown(cell(doc.by_id(f"proposal-{proposal_id}"), "Status"), status)


INBOXES = [("requester", "/my/proposals", REQUESTER_VIEWS), ("provider", "/provider/proposals", PROVIDER_VIEWS)]


@pytest.mark.parametrize("role,path,views", INBOXES)
def test_each_partys_inbox_shows_each_status_in_words(role, path, views, session, login):
    party = make_user(session, role=role)
    ids = proposals_in_every_status(session, **{f"{role}_org_id": party.organization_id})
    client = login(party)
    for view, statuses in views.items():
        doc = page(client.get(f"{path}?view={view}"))
        for status in statuses:
            assert_word_shown(doc.by_id(f"proposal-{ids[status]}").find("span", class_="badge").text, status)


def test_the_runs_list_shows_every_status_in_words(session, officer):
    runs = {status: make_run(session, status=status) for status in RUN_STATUSES}
    session.commit()
    doc = page(officer.get("/officer/runs"))
    assert_column_in_words(doc, "Status", {status: f"/officer/runs/{run.id}" for status, run in runs.items()})


@pytest.mark.parametrize("status", RUN_STATUSES)
def test_a_runs_page_shows_its_status_in_words(status, session, officer):
    run = make_run(session, status=status)
    session.commit()
    assert_word_shown(page(officer.get(f"/officer/runs/{run.id}")).by_id("run-status").text, status)


@pytest.mark.parametrize("outcome", SOLVER_OUTCOMES)
def test_a_runs_page_says_what_the_solver_reached_in_words(outcome, session, officer):
    run = make_run(session, optimality_gap=None if outcome == "optimal" else 0.02,
                   figures={"method": "milp", "status": outcome})
    session.commit()
    solution = fact(page(officer.get(f"/officer/runs/{run.id}")), "Solution")
    assert solution.startswith(label(outcome))
    assert_word_shown(solution, outcome)


def test_a_runs_page_names_the_constraints_no_selection_could_meet(session, officer):
    run = make_run(session, figures={"method": "milp", "status": "optimal", "infeasible": ["min_women_share"]})
    session.commit()
    solution = fact(page(officer.get(f"/officer/runs/{run.id}")), "Solution")
    assert solution.startswith(label("optimal"))
    assert_word_shown(solution, "min_women_share")


def test_a_run_written_before_the_infeasible_list_reads_the_same(session, officer):
    run = make_run(session, figures={"method": "milp", "status": "optimal; infeasible: min_women_share, budget_usd"})
    session.commit()
    solution = fact(page(officer.get(f"/officer/runs/{run.id}")), "Solution")
    assert solution.startswith(label("optimal"))
    assert_word_shown(solution, "min_women_share")
    assert_word_shown(solution, "budget_usd")


def test_a_runs_page_names_every_score_component_and_side_constraint(session, officer):
    constraints = {name: 0.5 for name in CONSTRAINTS}
    run = make_run(session, policy_snapshot={"name": "default", "weights": {c: 1 for c in COMPONENTS},
                                             "constraints": constraints})
    make_proposal(session, run, score=0.8)
    session.commit()
    doc = page(officer.get(f"/officer/runs/{run.id}"))
    policy = doc.find("details").text
    for name in CONSTRAINTS:
        assert_word_shown(policy, name)
    for name in COMPONENTS:
        assert_word_shown(doc.by_id("score-legend").text, name)
        assert_word_shown(policy, name)


def test_a_proposals_page_names_every_score_component(session, officer):
    proposal = make_proposal(session, None, score=0.7)
    session.commit()
    doc = page(officer.get(f"/proposals/{proposal.id}"))
    bars = [li.find("span").text for li in doc.find("ul", class_="bars").find_all("li")]
    assert sorted(bars) == sorted(label(name) for name in COMPONENTS)
    for name in COMPONENTS:
        assert_word_shown(doc.by_id("score-legend").text, name)


def test_the_run_form_names_every_component_and_constraint(session, officer):
    fields = " | ".join(field.text for field in page(officer.get("/officer/runs/new")).find_all("label"))
    for name in (*COMPONENTS, *CONSTRAINTS):
        assert_word_shown(fields, name)


def test_a_runs_scope_reads_as_the_names_of_its_cluster_area_and_country(session, officer):
    run = make_run(session, scope={"cluster": "safety_security", "area": "border_management", "country": "SSD"})
    session.commit()
    lede = page(officer.get(f"/officer/runs/{run.id}")).find("p", class_="lede").text
    listed = cell(row_of(page(officer.get("/officer/runs")), f"/officer/runs/{run.id}"), "Policy")
    for text in (lede, listed):
        assert "cluster Safety and security, capacity area Border management, duty station South Sudan" in text
        assert "safety_security" not in text and "border_management" not in text and "SSD" not in text
