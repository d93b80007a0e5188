"""The saved-policy API: officers and administrators keep policies by name; a run names one."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from capmatch.matching.core.policy import COMPONENTS
from capmatch.matching.models import MatchRun, Policy
from tests.factories import make_user


@pytest.fixture
def officer(session, bearer):
    from capmatch.seed.demo import load_policies

    load_policies(session)
    headers = bearer(make_user(session, role="officer"))
    session.commit()  # a refused request rolls back its own work only
    return headers


def fields_of(response) -> dict[str, str]:
    return {f["field"]: f["message"] for f in response.json()["error"]["fields"]}


def test_an_officer_creates_reads_lists_replaces_and_deletes_a_policy(client, officer, session):
    created = client.post("/api/v1/policies", headers=officer, json={
        "name": "women-40", "description": "At least 40% women.", "weights": {"skills": 4},
        "constraints": {"min_women_share": 0.4}})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["weights"]["skills"] == 4 and body["weights"]["cost"] == 0.5  # the rest: the defaults
    assert body["constraints"] == {"min_women_share": 0.4} and body["is_default"] is False

    assert client.get("/api/v1/policies/women-40", headers=officer).json()["id"] == body["id"]
    names = [p["name"] for p in client.get("/api/v1/policies", headers=officer).json()]
    assert names == ["default", "south-south-first", "women-40"]

    replaced = client.put("/api/v1/policies/women-40", headers=officer, json={
        "name": "women-half", "constraints": {"min_women_share": 0.5, "budget_usd": 100000}})
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["constraints"] == {"min_women_share": 0.5, "budget_usd": 100000}
    assert replaced.json()["weights"]["skills"] == 3  # replaced: every value is the body's
    assert client.get("/api/v1/policies/women-40", headers=officer).status_code == 404

    deleted = client.delete("/api/v1/policies/women-half", headers=officer)
    assert deleted.status_code == 204
    assert session.scalar(sa.select(sa.func.count()).select_from(Policy).where(Policy.name == "women-half")) == 0


@pytest.mark.parametrize(("body", "field"), [
    ({"name": "Has Spaces"}, "name"),
    ({"name": ""}, "name"),
    ({"name": "x", "weights": {"skills": -1}}, "weights.skills"),
    ({"name": "x", "weights": {"astrology": 1}}, "weights.astrology"),
    ({"name": "x", "constraints": {"min_south_south_share": 1.5}}, "constraints.min_south_south_share"),
    ({"name": "x", "constraints": {"max_provider_share": 0}}, "constraints.max_provider_share"),
    ({"name": "x", "weights": {c: 0 for c in COMPONENTS}}, "weights"),
    ({"weights": {"skills": 1}}, "name"),
])
def test_bad_input_is_a_422_naming_the_field_and_saves_nothing(client, officer, session, body, field):
    response = client.post("/api/v1/policies", headers=officer, json=body)
    assert response.status_code == 422, response.text
    assert field in fields_of(response)
    assert session.scalar(sa.select(sa.func.count()).select_from(Policy)) == 2


def test_a_taken_name_and_the_default_policys_deletion_are_conflicts(client, officer):
    taken = client.post("/api/v1/policies", headers=officer, json={"name": "south-south-first"})
    assert taken.status_code == 409 and "name" in fields_of(taken)
    assert client.delete("/api/v1/policies/default", headers=officer).status_code == 409
    demoted = client.put("/api/v1/policies/default", headers=officer, json={"name": "default", "is_default": False})
    assert demoted.status_code == 409 and "is_default" in fields_of(demoted)
    assert client.get("/api/v1/policies/nothing-here", headers=officer).status_code == 404


def test_a_new_default_replaces_the_old_one(client, officer, session):
    response = client.post("/api/v1/policies", headers=officer, json={"name": "new-default", "is_default": True})
    assert response.status_code == 201
    defaults = session.scalars(sa.select(Policy.name).where(Policy.is_default)).all()
    assert defaults == ["new-default"]
    run = client.post("/api/v1/match-runs", headers=officer, json={}).json()
    assert run["policy_snapshot"]["name"] == "new-default"


def test_a_run_named_by_policy_uses_its_values_and_survives_its_deletion(client, officer, session):
    client.post("/api/v1/policies", headers=officer, json={
        "name": "balanced", "weights": {"cost": 5}, "constraints": {"max_country_share": 0.3}})
    run = client.post("/api/v1/match-runs", headers=officer, json={"policy": "balanced"})
    assert run.status_code == 202, run.text
    snapshot = run.json()["policy_snapshot"]
    assert snapshot["weights"]["cost"] == 5 and snapshot["constraints"] == {"max_country_share": 0.3}
    assert snapshot["changed"] is False
    # The request may change the saved values, or replace its constraints outright.
    changed = client.post("/api/v1/match-runs", headers=officer, json={
        "policy": "balanced", "constraints": {"min_women_share": 0.5}, "replace_constraints": True}).json()
    assert changed["policy_snapshot"]["constraints"] == {"min_women_share": 0.5}
    assert changed["policy_snapshot"]["changed"] is True
    unknown = client.post("/api/v1/match-runs", headers=officer, json={"policy": "nope"})
    assert unknown.status_code == 422 and "policy" in fields_of(unknown)

    assert client.delete("/api/v1/policies/balanced", headers=officer).status_code == 204
    kept = session.get(MatchRun, run.json()["id"])
    session.refresh(kept)
    assert kept.policy_id is None and kept.policy_snapshot["name"] == "balanced"


def test_requesters_and_providers_cannot_see_or_change_policies(client, session, bearer, officer):
    for role in ("requester", "provider"):
        headers = bearer(make_user(session, role=role))
        session.commit()
        assert client.get("/api/v1/policies", headers=headers).status_code == 403
        assert client.post("/api/v1/policies", headers=headers, json={"name": "mine"}).status_code == 403
    assert client.get("/api/v1/policies").status_code == 401
    assert client.post("/api/v1/policies", json={"name": "anonymous"}).status_code == 401
    assert session.scalar(sa.select(sa.func.count()).select_from(Policy)) == 2


def test_the_policy_api_explains_a_refusal_in_the_language_asked_for(client, officer):
    french = {**officer, "Accept-Language": "fr"}
    refused = client.post("/api/v1/policies", headers=french,
                          json={"name": "default", "weights": {c: 0 for c in COMPONENTS}})
    assert refused.status_code in (400, 409, 422), refused.text
    fields = fields_of(refused)
    assert fields["weights"] == "Au moins une pondération doit être supérieure à zéro."
    assert fields["name"] == "Une politique enregistrée porte déjà le nom 'default'\u00a0; choisissez un autre nom."
    gone = client.get("/api/v1/policies/nothing-here", headers=french)
    assert gone.json()["error"]["message"] == "Aucune politique enregistrée ne porte le nom 'nothing-here'."
