"""Input PostgreSQL cannot hold is refused where it is parsed: ids and pages out of range, text with a NUL.

Each request here answered 500 before capmatch.inputs: an id past the integer column, a page past any
OFFSET, a NUL in a query string or a JSON body. Now each is a 404 (a path naming nothing) or a 422 naming
the parameter or field, in the one error shape, and nothing is written.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from capmatch.needs.models import Need
from capmatch.offers.models import Offer
from capmatch.proposals.models import Proposal
from tests.api.support import error_fields, make_org, make_user
from tests.factories import make_need, make_offer, put_proposal

SOON = (date.today() + timedelta(days=30)).isoformat()
INT4_PAST = 2**31  # one more than PostgreSQL's integer holds
INT8_PAST = 2**63


@pytest.fixture
def world(session, bearer):
    mission = make_org(session, "UN Mission in South Sudan", kind="un_entity", country="SSD", request=True,
                       provide=False)
    agency = make_org(session, "Kenya Prisons Service")
    users = {"officer": make_user(session, "officer"), "requester": make_user(session, "requester", mission),
             "provider": make_user(session, "provider", agency)}
    need = make_need(session, requester_org_id=mission.id)
    offer = make_offer(session, provider_org_id=agency.id)
    proposal = put_proposal(session, need, offer)
    session.commit()
    return {"h": {name: bearer(user) for name, user in users.items()}, "proposal": proposal}


def count(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def assert_refused(response, status: int, field: str | None = None) -> None:
    assert response.status_code == status, response.text
    body = response.json()["error"]
    assert set(body) >= {"code", "message"}
    if field is not None:
        assert field in error_fields(response), body


# --- item 1: integers within PostgreSQL's range --------------------------------------------------


@pytest.mark.parametrize("path", [
    f"/api/v1/offers/{INT4_PAST}", f"/api/v1/needs/{INT8_PAST}", "/api/v1/offers/0", "/api/v1/needs/-1",
    f"/api/v1/proposals/{INT4_PAST}", f"/api/v1/organizations/{INT4_PAST}", f"/api/v1/match-runs/{INT4_PAST}",
    f"/api/v1/match-runs/{INT4_PAST}/proposals",
])
def test_a_path_id_no_column_can_hold_is_a_404(client, world, path):
    assert_refused(client.get(path, headers=world["h"]["officer"]), 404)


@pytest.mark.parametrize(("path", "field"), [
    ("/api/v1/needs?page=99999999999999999999999", "page"),
    ("/api/v1/needs?page=100001", "page"),
    ("/api/v1/offers?page=100001", "page"),
    ("/api/v1/match-runs?page=100001", "page"),
    (f"/api/v1/proposals?need=17051173881150662656", "need"),
    (f"/api/v1/proposals?offer={INT4_PAST}", "offer"),
    (f"/api/v1/proposals?run={INT4_PAST}", "run"),
    (f"/api/v1/offers?provider={INT4_PAST}", "provider"),
    (f"/api/v1/needs?requester={INT4_PAST}", "requester"),
])
def test_a_filter_id_or_page_out_of_range_is_a_422_naming_the_parameter(client, world, path, field):
    assert_refused(client.get(path, headers=world["h"]["officer"]), 422, field)


def test_the_last_page_any_listing_reaches_is_still_answered(client, world):
    response = client.get("/api/v1/needs?page=100000", headers=world["h"]["officer"])
    assert response.status_code == 200 and response.json()["items"] == []


def test_approving_a_proposal_id_no_column_can_hold_is_a_404(client, session, world):
    response = client.post(f"/api/v1/proposals/{INT4_PAST}/approve", headers=world["h"]["officer"])
    assert_refused(response, 404)


def test_a_bulk_decision_naming_an_impossible_id_is_refused_whole_and_writes_nothing(client, session, world):
    proposal = world["proposal"]
    response = client.post("/api/v1/proposals/bulk", headers=world["h"]["officer"],
                           json={"ids": [proposal.id, INT4_PAST], "action": "approve"})
    assert_refused(response, 422, "ids[1]")
    session.expire_all()
    assert session.get(Proposal, proposal.id).status == "proposed"


def test_a_manual_match_with_an_impossible_need_id_is_a_422_naming_it(client, session, world):
    before = count(session, Proposal)
    response = client.post("/api/v1/proposals", headers=world["h"]["officer"],
                           json={"need_id": INT4_PAST, "offer_id": 1, "reason": "by hand"})
    assert_refused(response, 422, "need_id")
    assert count(session, Proposal) == before


# --- item 2: text PostgreSQL refuses -------------------------------------------------------------


@pytest.mark.parametrize(("path", "field"), [
    ("/api/v1/offers?q=a%00b", "q"), ("/api/v1/needs?q=a%00b", "q"), ("/api/v1/needs?cluster=%00", "cluster"),
    ("/api/v1/countries?q=%00", "q"), ("/api/v1/areas?cluster=x%00", "cluster"),
])
def test_a_nul_in_a_query_string_is_a_422_naming_the_parameter(client, world, path, field):
    assert_refused(client.get(path), 422, field)


def need_body(**overrides):
    body = {"duty_country": "SSD", "title": "Prison management adviser", "area": "corrections",
            "languages": [{"code": "eng", "min_level": "B2"}], "start_by": SOON, "duration_months": 6,
            "modality": "deployed_expert", "funding": "requester_paid"}
    return {**body, **overrides}


@pytest.mark.parametrize(("overrides", "field"), [
    ({"title": "Prison\u0000 adviser"}, "title"),
    ({"terms_of_reference": "Advise.\u0000"}, "terms_of_reference"),
    ({"skills": ["classification", "\u0000"]}, "skills"),
    ({"languages": [{"code": "eng", "min_level": "B2\u0000"}]}, "languages[0].min_level"),
    ({"title": "Prison \ud800 adviser"}, "title"),  # a lone surrogate: UTF-8 cannot encode it
])
def test_a_nul_in_a_need_is_a_422_naming_the_field_and_nothing_is_posted(client, session, world, overrides, field):
    before = count(session, Need)
    # Sent as JSON escapes (\u0000, \ud800), as a client's JSON encoder writes them.
    response = client.post("/api/v1/needs", content=json.dumps(need_body(**overrides)),
                           headers={**world["h"]["requester"], "Content-Type": "application/json"})
    assert_refused(response, 422, field)
    assert count(session, Need) == before


def test_a_nul_in_a_need_change_is_a_422_and_the_need_keeps_its_title(client, session, world):
    need_id = world["proposal"].need_id
    response = client.patch(f"/api/v1/needs/{need_id}", json={"title": "Changed\u0000"},
                            headers=world["h"]["officer"])
    assert_refused(response, 422, "title")
    session.expire_all()
    assert "\x00" not in session.get(Need, need_id).title


def test_a_nul_in_an_experts_name_is_a_422_naming_the_field_and_no_offer_is_listed(client, session, world):
    before = count(session, Offer)
    response = client.post("/api/v1/offers", headers=world["h"]["provider"], json={
        "kind": "individual_expert", "title": "Corrections adviser", "expert_name": "Amina\u0000 Odhiambo",
        "nationality": "KEN", "areas": ["corrections"], "languages": [{"code": "eng", "level": "C2"}],
        "available_from": SOON, "cost_bearer": "provider",
    })
    assert_refused(response, 422, "expert_name")
    assert count(session, Offer) == before


def test_a_nul_in_a_reason_is_a_422_and_the_proposal_is_unchanged(client, session, world):
    proposal = world["proposal"]
    response = client.post(f"/api/v1/proposals/{proposal.id}/reject", json={"reason": "no\u0000"},
                           headers=world["h"]["officer"])
    assert_refused(response, 422, "reason")
    session.expire_all()
    assert session.get(Proposal, proposal.id).status == "proposed"


def test_a_nul_in_a_match_runs_scope_is_a_422_naming_the_field(client, world):
    response = client.post("/api/v1/match-runs", json={"scope": {"cluster": "justice\u0000"}},
                           headers=world["h"]["officer"])
    assert_refused(response, 422, "scope.cluster")
