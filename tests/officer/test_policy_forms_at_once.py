"""The run form and the saved policy form report every problem of a submission in one answer."""

from __future__ import annotations

import sqlalchemy as sa

from capmatch.audit.models import AuditEvent
from capmatch.matching.core.policy import COMPONENTS
from capmatch.matching.models import MatchRun, Policy
from tests.officer.conftest import count, post
from tests.web.test_form_errors_at_once import shown_at_once

ZEROS = {f"weights.{c}": "0" for c in COMPONENTS}


def test_the_run_form_reports_bad_numbers_and_an_unknown_scope_at_once(as_officer, session, policies):
    response = post(as_officer, "/officer/runs/new", {
        "policy": "default", "weights.skills": "-1", "weights.cost": "lots",
        "constraints.min_south_south_share": "1.5", "scope.area": "astrology", "scope.country": "XYZ",
    })
    assert response.status_code == 400
    shown_at_once(response, {
        "f-weights-skills": "Enter a weight from 0 to 100 for “Skill coverage”.",
        "f-weights-cost": "Enter the weight for “Cost” as a number.",
        "f-constraints-min_south_south_share":
            "Enter the minimum South-South share as a fraction from 0 to 1 (0.6 is 60%).",
        "f-scope-area": "Choose the capacity area from the list: there is no capacity area 'astrology'.",
        "f-scope-country": "Choose the country from the list: there is no country 'XYZ'.",
    })
    assert count(session, MatchRun) == 0
    assert session.scalar(sa.text("SELECT count(*) FROM procrastinate_jobs")) == 0


def test_the_run_form_reports_every_weight_at_zero_with_an_unknown_scope(as_officer, session, policies):
    response = post(as_officer, "/officer/runs/new", {"policy": "default", **ZEROS, "scope.cluster": "magic"})
    shown_at_once(response, {
        "f-weights": "At least one weight must be above zero.",
        "f-scope-cluster": "Choose the cluster from the list: there is no cluster 'magic'.",
    })
    assert count(session, MatchRun) == 0


def test_the_policy_form_reports_a_name_taken_with_the_bad_numbers(as_officer, session, policies):
    response = post(as_officer, "/officer/policies/new", {
        "name": "default", "weights.skills": "-1", "weights.cost": "lots", "constraints.max_provider_share": "0",
    }, token_from="/officer/policies/new")
    assert response.status_code == 400
    shown_at_once(response, {
        "f-name": "A saved policy is already named 'default'; choose another name.",
        "f-weights-skills": "Enter a weight from 0 to 100 for “Skill coverage”.",
        "f-weights-cost": "Enter the weight for “Cost” as a number.",
        "f-constraints-max_provider_share":
            "Enter the maximum share of any one provider as a fraction above 0, up to 1.",
    })
    assert count(session, Policy) == 2 and count(session, AuditEvent) == 0


def test_the_policy_form_reports_a_bad_name_with_every_weight_at_zero(as_officer, session, policies):
    response = post(as_officer, "/officer/policies/new", {"name": "South South!", **ZEROS},
                    token_from="/officer/policies/new")
    shown_at_once(response, {
        "f-name": "Write the name in lower-case letters, digits, - and _ only, starting with a letter or a digit.",
        "f-weights": "At least one weight must be above zero.",
    })
    assert count(session, Policy) == 2


def test_the_api_lists_a_name_taken_and_every_weight_at_zero_together(client, session, policies, officer, bearer):
    headers = bearer(officer)
    session.commit()  # what the request's rollback must leave
    body = {"name": "default", "weights": {c: 0 for c in COMPONENTS}}
    response = client.post("/api/v1/policies", json=body, headers=headers)
    assert response.status_code == 422
    fields = {f["field"]: f["message"] for f in response.json()["error"]["fields"]}
    assert fields == {"weights": "At least one weight must be above zero.",
                      "name": "A saved policy is already named 'default'; choose another name."}
    assert count(session, Policy) == 2


def test_the_run_api_lists_every_unknown_scope_and_policy_together(client, session, policies, officer, bearer):
    headers = bearer(officer)
    session.commit()  # what the request's rollback must leave
    body = {"policy": "nothing-such", "scope": {"area": "astrology", "country": "XYZ"}}
    response = client.post("/api/v1/match-runs", json=body, headers=headers)
    assert response.status_code == 422
    assert {f["field"] for f in response.json()["error"]["fields"]} == {"policy", "scope.area", "scope.country"}
    assert count(session, MatchRun) == 0
