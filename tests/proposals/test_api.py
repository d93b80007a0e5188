"""The proposals API: every action by every side from every state, lists, manual and bulk matching."""

from __future__ import annotations

import itertools

import pytest

from capmatch.matching.core.policy import COMPONENTS
from capmatch.proposals import workflow as wf
from tests.factories import make_need, make_offer, put_proposal

from .conftest import audit_of, reload

API = "/api/v1/proposals"
LIVE = ("approved", "accepted", "confirmed", "agreed", "deployed")
# action -> {state: (target, sides allowed)}, written out by hand from DESIGN 3.
ALLOWED = {
    "approve": {"proposed": ("approved", {"officer"})},
    "reject": {"proposed": ("rejected", {"officer"})},
    "accept": {"approved": ("accepted", {"requester"}), "confirmed": ("agreed", {"requester"})},
    "decline": {"approved": ("declined", {"requester", "provider"}), "confirmed": ("declined", {"requester"}),
                "accepted": ("declined", {"provider"})},
    "confirm": {"approved": ("confirmed", {"provider"}), "accepted": ("agreed", {"provider"})},
    "deploy": {"agreed": ("deployed", {"provider", "officer"})},
    "complete": {"deployed": ("completed", {"requester", "officer"})},
    "withdraw": {s: ("withdrawn", {"officer", "requester", "provider"}) for s in LIVE},
}
SIDES = ("officer", "requester", "provider")
CASES = list(itertools.product(wf.STATES, wf.ACTIONS, SIDES))


def expected_status(state, action, who):
    allowed = ALLOWED[action].get(state)
    if allowed and who in allowed[1]:
        return 200
    if action == "decline" and who in ("requester", "provider"):
        return 409  # their own decline exists, just not from this state
    return 403 if allowed else 409


def body_for(action):
    return {"appraisal": 4, "reason": "Done well."} if action == "complete" else {"reason": "Because."}


@pytest.fixture
def h(world, bearer, session):
    headers = {who: bearer(world.user(who)) for who in
               ("officer", "admin", "requester", "provider", "rival_provider", "rival_requester")}
    session.commit()
    return headers


def test_every_workflow_action_has_a_route(app):
    paths = app.openapi()["paths"]
    assert {a for a in wf.ACTIONS if f"{API}/{{proposal_id}}/{a}" in paths} == set(wf.ACTIONS)


@pytest.mark.parametrize(("state", "action", "who"), CASES, ids=["-".join(c) for c in CASES])
def test_every_action_by_every_side_from_every_state(client, session, world, h, state, action, who):
    p = put_proposal(session, world.need, world.offer, state)
    reserved_before = reload(session, world.offer).reserved
    response = client.post(f"{API}/{p.id}/{action}", headers=h[who], json=body_for(action))
    expected = expected_status(state, action, who)
    assert response.status_code == expected, response.text
    p = reload(session, p)
    if expected != 200:
        error = response.json()["error"]
        if expected == 409:
            assert state in error["message"]
        assert p.status == state
        assert reload(session, world.offer).reserved == reserved_before
        assert audit_of(session, p.id) == []
        return
    target = ALLOWED[action][state][0]
    out = response.json()
    assert out["status"] == p.status == target
    assert reload(session, world.offer).reserved == (1 if target in LIVE else 0)
    assert (p.deadline_at is not None) == (target in ("approved", "accepted", "confirmed"))
    [event] = audit_of(session, p.id)
    assert (event.from_state, event.to_state, event.actor_id) == (state, target, world.user(who).id)


@pytest.mark.parametrize("action", wf.ACTIONS)
def test_another_organizations_proposal_does_not_exist_for_you(client, session, world, h, action):
    p = put_proposal(session, world.need, world.offer, "approved")
    for who in ("rival_provider", "rival_requester"):
        response = client.post(f"{API}/{p.id}/{action}", headers=h[who], json=body_for(action))
        assert response.status_code == 404, response.text
        assert client.get(f"{API}/{p.id}", headers=h[who]).status_code == 404
    assert client.post(f"{API}/{p.id}/{action}", json=body_for(action)).status_code == 401
    assert client.post(f"{API}/{10**9}/{action}", headers=h["officer"], json=body_for(action)).status_code == 404


@pytest.mark.parametrize(("action", "body", "field"), [
    ("reject", {}, "reason"), ("reject", None, "reason"), ("complete", {"appraisal": 0}, "appraisal"),
    ("complete", {}, "appraisal"), ("approve", {"reason": "x", "extra": 1}, "extra"),
])
def test_bad_bodies_are_422_on_the_field(client, session, world, h, action, body, field):
    p = put_proposal(session, world.need, world.offer)
    response = client.post(f"{API}/{p.id}/{action}", headers=h["officer"], json=body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["fields"][0]["field"] == field


def test_lists_are_scoped_and_filtered(client, session, world, h):
    mine = put_proposal(session, world.need, world.offer, "approved")
    rival_need = make_need(session, requester_org_id=world.rival_mission.id)
    theirs = put_proposal(session, rival_need, make_offer(session, provider_org_id=world.rival_agency.id))

    def ids(who, **params):
        response = client.get(API, headers=h[who], params=params)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    assert ids("officer") == [theirs.id, mine.id]
    assert ids("requester") == ids("provider") == [mine.id]
    assert ids("rival_requester") == [theirs.id]
    assert ids("officer", status="approved") == [mine.id]
    assert ids("officer", need=rival_need.id) == [theirs.id]
    assert ids("officer", offer=world.offer.id) == [mine.id]
    assert client.get(API).status_code == 401
    item = client.get(f"{API}/{mine.id}", headers=h["requester"]).json()
    assert item["need"]["requester"]["id"] == world.mission.id
    assert item["offer"]["provider"]["id"] == world.agency.id
    assert item["actions"] == ["accept", "decline", "withdraw"]
    assert "expert_name" not in str(item) and world.offer.expert_name not in str(item)


def test_an_officer_matches_by_hand(client, session, world, h):
    body = {"need_id": world.need.id, "offer_id": world.offer.id, "reason": "Recommended by the mission."}
    assert client.post(API, headers=h["requester"], json=body).status_code == 403
    response = client.post(API, headers=h["officer"], json=body)
    assert response.status_code == 201, response.text
    out = response.json()
    assert (out["status"], out["run_id"], out["reason"]) == ("proposed", None, "Recommended by the mission.")
    assert set(out["breakdown"]) == set(COMPONENTS) - {"gender_balance"}  # the need sets no gender target
    again = client.post(API, headers=h["officer"], json=body)
    assert again.status_code == 409 and again.json()["error"]["fields"][0]["field"] == "offer_id"
    assert client.post(API, headers=h["officer"], json={**body, "reason": ""}).status_code == 422


def test_bulk_approval_is_all_or_nothing_over_http(client, session, world, h):
    needs = [make_need(session, requester_org_id=world.mission.id) for _ in range(3)]
    proposals = [put_proposal(session, n, world.offer) for n in needs]  # capacity 1
    ids = [p.id for p in proposals]
    response = client.post(f"{API}/bulk", headers=h["officer"], json={"ids": ids, "action": "approve"})
    assert response.status_code == 409, response.text
    assert [reload(session, p).status for p in proposals] == ["proposed"] * 3
    assert reload(session, world.offer).reserved == 0

    response = client.post(f"{API}/bulk", headers=h["officer"], json={"ids": ids[:1], "action": "approve"})
    assert response.status_code == 200, response.text
    assert [i["status"] for i in response.json()["items"]] == ["approved"]
    response = client.post(f"{API}/bulk", headers=h["officer"],
                           json={"ids": ids[1:], "action": "reject", "reason": "Offer taken."})
    assert [i["status"] for i in response.json()["items"]] == ["rejected", "rejected"]
    assert client.post(f"{API}/bulk", headers=h["provider"],
                       json={"ids": ids, "action": "approve"}).status_code == 403
    assert client.post(f"{API}/bulk", headers=h["officer"],
                       json={"ids": [], "action": "approve"}).status_code == 422


def test_the_requester_reads_the_experts_identity_after_the_provider_confirms(client, session, world, h):
    p = put_proposal(session, world.need, world.offer, "approved")
    offer_url = f"/api/v1/offers/{world.offer.id}"
    assert world.offer.expert_name not in client.get(offer_url, headers=h["requester"]).text
    assert client.post(f"{API}/{p.id}/confirm", headers=h["provider"]).status_code == 200
    assert world.offer.expert_name in client.get(offer_url, headers=h["requester"]).text
    assert world.offer.expert_name not in client.get(offer_url, headers=h["rival_requester"]).text
