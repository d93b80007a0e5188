"""Saved policies on the officer's pages: list, save, edit, delete, and a run started from one."""

from __future__ import annotations

import sqlalchemy as sa

from capmatch.audit.models import AuditEvent
from capmatch.matching.models import MatchRun, Policy
from tests.factories import make_run
from tests.officer.conftest import count, post
from tests.web.html import parse

NEW = "/officer/policies/new"


def error_on(doc, field_id: str) -> str:
    node = doc.by_id(f"{field_id}-error")
    assert node is not None, f"no error on {field_id}"
    return node.text


def saved(session, name: str) -> Policy | None:
    session.expire_all()
    return session.scalar(sa.select(Policy).where(Policy.name == name))


def test_the_list_shows_each_saved_policy_with_its_values_and_actions(as_officer, policies, session):
    doc = parse(as_officer.get("/officer/policies").text)
    default = saved(session, "default")
    row = doc.by_id(f"policy-{default.id}")
    assert "default" in row.text and "Skill coverage 3" in row.text and "none" in row.find("td", data_label="Constraints").text
    assert row.find("a", href=f"/officer/policies/{default.id}/edit") is not None
    assert not [a for a in row.find_all("a") if a.text.startswith("Delete")]  # the default cannot be deleted
    other = doc.by_id(f"policy-{saved(session, 'south-south-first').id}")
    assert "Minimum South-South share 0.6" in other.text
    assert [a.text for a in other.find_all("a")] == ["Run with it", "Edit south-south-first", "Delete south-south-first"]


def test_an_officer_saves_a_new_policy_and_the_audit_records_it(as_officer, policies, session, officer):
    doc = parse(as_officer.get(NEW).text)
    assert doc.find("input", name="weights.skills").get("value") == "3"  # the defaults to start from
    response = post(as_officer, NEW, {
        "name": "women-40", "description": "At least 40% women.", "weights.skills": "4", "weights.cost": "",
        "constraints.min_women_share": "0.4", "constraints.budget_usd": "",
    }, token_from=NEW)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/officer/policies"
    policy = saved(session, "women-40")
    assert policy.description == "At least 40% women." and not policy.is_default
    assert policy.weights["skills"] == 4 and policy.weights["cost"] == 0.5  # a blank weight: the default
    assert policy.constraints == {"min_women_share": 0.4}
    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.entity_type == "policy"))
    assert (event.action, event.entity_id, event.actor_id) == ("created", policy.id, officer.id)
    assert "The policy women-40 is saved." in parse(as_officer.get("/officer/policies").text).find(class_="flash").text


def test_bad_input_is_shown_on_its_fields_and_nothing_is_saved(as_officer, policies, session):
    response = post(as_officer, NEW, {
        "name": "South South!", "weights.skills": "-1", "weights.language": "lots",
        "constraints.max_provider_share": "0", "constraints.min_women_share": "2",
    }, token_from=NEW)
    assert response.status_code == 400
    doc = parse(response.text)
    assert "lower-case letters, digits, - and _" in error_on(doc, "f-name")
    assert error_on(doc, "f-weights-skills").endswith("Enter a weight from 0 to 100 for “Skill coverage”.")
    assert error_on(doc, "f-weights-language").endswith("Enter the weight for “Language” as a number.")
    assert error_on(doc, "f-constraints-max_provider_share").endswith(
        "Enter the maximum share of any one provider as a fraction above 0, up to 1.")
    assert error_on(doc, "f-constraints-min_women_share").endswith(
        "Enter the minimum women's share as a fraction from 0 to 1 (0.5 is 50%).")
    assert doc.find("input", name="name").get("value") == "South South!"  # shown again as typed
    assert count(session, Policy) == 2


def test_a_name_already_taken_and_all_weights_at_zero_are_refused_inline(as_officer, policies, session):
    response = post(as_officer, NEW, {"name": "default"}, token_from=NEW)
    assert response.status_code == 400
    assert "already named 'default'" in error_on(parse(response.text), "f-name")
    zeros = {f"weights.{c}": "0" for c in saved(session, "default").weights}
    response = post(as_officer, NEW, {"name": "nothing", **zeros}, token_from=NEW)
    assert response.status_code == 400
    assert "At least one weight" in error_on(parse(response.text), "f-weights")
    assert count(session, Policy) == 2 and count(session, AuditEvent) == 0


def test_editing_a_policy_replaces_its_values_and_can_make_it_the_default(as_officer, policies, session):
    policy = saved(session, "south-south-first")
    page = f"/officer/policies/{policy.id}/edit"
    doc = parse(as_officer.get(page).text)
    assert doc.find("input", name="constraints.min_south_south_share").get("value") == "0.6"
    response = post(as_officer, page, {
        "name": "south-south-half", "description": "Half South-South.", "is_default": "1",
        "constraints.min_south_south_share": "0.5", "constraints.max_country_share": "0.3",
    }, token_from=page)
    assert response.status_code == 303, response.text
    edited = saved(session, "south-south-half")
    assert edited.id == policy.id and edited.is_default and edited.description == "Half South-South."
    assert edited.constraints == {"min_south_south_share": 0.5, "max_country_share": 0.3}
    assert not saved(session, "default").is_default  # one default at a time


def test_the_default_policy_cannot_stop_being_the_default_nor_be_deleted(as_officer, policies, session):
    default = saved(session, "default")
    page = f"/officer/policies/{default.id}/edit"
    response = post(as_officer, page, {"name": "default"}, token_from=page)
    assert response.status_code == 400
    assert "make another policy the default instead" in error_on(parse(response.text), "f-is_default")
    page = f"/officer/policies/{default.id}/delete"
    response = post(as_officer, page, {}, token_from=page)
    assert response.status_code == 409
    assert "cannot be deleted" in parse(response.text).find(class_="error-summary").text
    assert saved(session, "default") is not None


def test_deleting_a_policy_keeps_the_runs_that_used_it(as_officer, policies, session):
    policy = saved(session, "south-south-first")
    run = make_run(session, policy_id=policy.id,
                   policy_snapshot={"name": "south-south-first", "weights": {}, "constraints": {}})
    page = f"/officer/policies/{policy.id}/delete"
    assert "Delete the policy south-south-first" in parse(as_officer.get(page).text).find("h1").text
    response = post(as_officer, page, {}, token_from=page)
    assert response.status_code == 303 and response.headers["location"] == "/officer/policies"
    assert saved(session, "south-south-first") is None
    kept = session.get(MatchRun, run.id)
    assert kept.policy_id is None and kept.policy_snapshot["name"] == "south-south-first"
    assert as_officer.get(f"/officer/policies/{policy.id}/edit").status_code == 404


def test_choosing_a_saved_policy_fills_the_run_form_with_its_values(as_officer, policies):
    doc = parse(as_officer.get("/officer/runs/new?policy=south-south-first").text)
    run_form = doc.find("form", class_="run-form")
    assert run_form.find("input", name="policy").get("value") == "south-south-first"
    assert run_form.find("input", name="replace_constraints") is not None
    assert run_form.find("input", name="constraints.min_south_south_share").get("value") == "0.6"
    assert run_form.find("input", name="weights.south_south").get("value") == "3"
    assert doc.find("select", name="policy").find("option", selected=True).get("value") == "south-south-first"

    response = as_officer.get("/officer/runs/new?policy=no-such-policy")
    assert response.status_code == 400
    assert "No matching policy is named 'no-such-policy'" in error_on(parse(response.text), "f-policy")


def test_a_run_started_from_a_filled_form_uses_the_saved_policys_values_as_shown(as_officer, policies, session):
    page = "/officer/runs/new?policy=south-south-first"
    # The officer empties the policy's South-South box and sets a women's floor instead.
    response = post(as_officer, "/officer/runs/new", {
        "policy": "south-south-first", "replace_constraints": "1", "weights.skills": "3", "weights.cost": "2",
        "constraints.min_south_south_share": "", "constraints.min_women_share": "0.5",
    }, token_from=page)
    assert response.status_code == 303, response.text
    run = session.scalar(sa.select(MatchRun))
    assert run.policy_snapshot["name"] == "south-south-first" and run.policy_snapshot["changed"] is True
    assert run.policy_snapshot["constraints"] == {"min_women_share": 0.5}
    assert run.policy_snapshot["weights"]["cost"] == 2 and run.policy_snapshot["weights"]["skills"] == 3
    doc = parse(as_officer.get(f"/officer/runs/{run.id}").text)
    assert any("Policy used (changed for this run)" in s.text for s in doc.find_all("summary"))


def test_a_run_from_a_saved_policy_unchanged_runs_with_exactly_its_values(as_officer, policies, session):
    post(as_officer, NEW, {"name": "cheap", "weights.cost": "9", "constraints.budget_usd": "50000"}, token_from=NEW)
    page = "/officer/runs/new?policy=cheap"
    form = parse(as_officer.get(page).text).find("form", class_="run-form")
    data = {i.get("name"): i.get("value") or "" for i in form.find_all("input") if i.get("name") != "csrf_token"}
    response = post(as_officer, "/officer/runs/new", data, token_from=page)
    assert response.status_code == 303, response.text
    run = session.scalar(sa.select(MatchRun))
    policy = saved(session, "cheap")
    assert run.policy_id == policy.id and run.policy_snapshot["changed"] is False
    assert (run.policy_snapshot["weights"], run.policy_snapshot["constraints"]) == (policy.weights, policy.constraints)


def test_a_runs_policy_can_be_saved_under_a_name(as_officer, policies, session):
    run = make_run(session, policy_snapshot={"name": "default", "weights": {"skills": 5, "cost": 1},
                                             "constraints": {"max_provider_share": 0.25}})
    doc = parse(as_officer.get(f"/officer/runs/{run.id}").text)
    assert doc.find("a", href=f"/officer/policies/new?run={run.id}") is not None
    page = f"/officer/policies/new?run={run.id}"
    form = parse(as_officer.get(page).text)
    assert form.find("input", name="weights.skills").get("value") == "5"
    assert form.find("input", name="constraints.max_provider_share").get("value") == "0.25"
    response = post(as_officer, page, {"name": "from-run", "weights.skills": "5", "weights.cost": "1",
                                       "constraints.max_provider_share": "0.25"}, token_from=page)
    assert response.status_code == 303
    assert saved(session, "from-run").constraints == {"max_provider_share": 0.25}
