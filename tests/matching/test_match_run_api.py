"""The match-run API, with a real procrastinate worker executing the queued run."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from capmatch.auth.service import issue_token
from capmatch.jobs.registry import worker_app as get_job_app
from tests.factories import make_need, make_offer, make_user


@pytest.fixture
def api(application, committed):
    # No session override: requests use the runs database's engine, as a worker's connections do.
    with TestClient(application, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def tokens(committed):
    users = {role: make_user(committed, role=role) for role in ("officer", "requester", "provider")}
    headers = {role: {"Authorization": f"Bearer {issue_token(committed, user_id=u.id)}"} for role, u in users.items()}
    committed.commit()
    return headers


def work_off_the_queue() -> None:
    app = get_job_app()
    with app.open():
        app.run_worker(wait=False, queues=["matching"], install_signal_handlers=False, listen_notify=False)


def test_an_officer_queues_a_run_that_a_worker_executes(api, committed, tokens):
    need = make_need(committed)
    offer = make_offer(committed)
    committed.commit()

    created = api.post("/api/v1/match-runs", json={"policy": "default"}, headers=tokens["officer"])
    assert created.status_code == 202, created.text
    run = created.json()
    assert run["status"] == "queued" and run["policy_snapshot"]["name"] == "default"
    assert committed.scalar(sa.text("SELECT count(*) FROM procrastinate_jobs WHERE status = 'todo'")) == 1

    work_off_the_queue()

    done = api.get(f"/api/v1/match-runs/{run['id']}", headers=tokens["officer"]).json()
    assert (done["status"], done["progress"], done["positions_filled"]) == ("succeeded", 1.0, 1)
    proposals = api.get(f"/api/v1/match-runs/{run['id']}/proposals", headers=tokens["officer"]).json()
    assert proposals["total"] == 1
    item = proposals["items"][0]
    assert (item["need_id"], item["offer_id"], item["status"]) == (need.id, offer.id, "proposed")
    assert item["breakdown"]["skills"] == 1.0


def test_gaps_say_why_a_need_went_unfilled(api, committed, tokens):
    make_need(committed, area_code="elections")
    committed.commit()
    run_id = api.post("/api/v1/match-runs", json={}, headers=tokens["officer"]).json()["id"]
    work_off_the_queue()
    gaps = api.get(f"/api/v1/match-runs/{run_id}/gaps", headers=tokens["officer"]).json()
    assert gaps["total"] == 1
    assert gaps["items"][0]["reasons"][0]["code"] == "area"


@pytest.mark.parametrize("role, status", [("requester", 403), ("provider", 403), (None, 401)])
def test_only_the_secretariat_runs_matching(api, tokens, role, status):
    headers = tokens[role] if role else {}
    assert api.post("/api/v1/match-runs", json={}, headers=headers).status_code == status
    assert api.get("/api/v1/match-runs", headers=headers).status_code == status


@pytest.mark.parametrize(
    "body, field",
    [
        ({"policy": "no-such-policy"}, "policy"),
        ({"weights": {"charisma": 2}}, "weights.charisma"),
        ({"weights": {"skills": -1}}, "weights.skills"),
        ({"constraints": {"min_south_south_share": 1.5}}, "constraints.min_south_south_share"),
        ({"scope": {"area": "astrology"}}, "scope.area"),
        ({"weights": {k: 0 for k in ("skills", "language", "experience", "south_south", "regional", "speed",
                                      "cost", "appraisal", "capacity_transfer", "gender_balance")}}, "weights"),
    ],
)
def test_a_bad_run_request_names_the_field_and_queues_nothing(api, committed, tokens, body, field):
    response = api.post("/api/v1/match-runs", json=body, headers=tokens["officer"])
    assert response.status_code == 422, response.text
    assert field in [f["field"] for f in response.json()["error"]["fields"]]
    assert committed.scalar(sa.text("SELECT count(*) FROM match_runs")) == 0
    assert committed.scalar(sa.text("SELECT count(*) FROM procrastinate_jobs")) == 0


def test_an_unknown_run_is_404(api, tokens):
    assert api.get("/api/v1/match-runs/999999", headers=tokens["officer"]).status_code == 404
