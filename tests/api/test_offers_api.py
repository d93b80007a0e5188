"""The offers API: listing experts and capacity, anonymized reads, changes and withdrawal."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from capmatch.audit.models import AuditEvent
from capmatch.offers.models import Offer, OfferArea, OfferLanguage, PastDeployment
from capmatch.proposals.models import Proposal
from tests.api.support import error_fields, make_org, make_user
from tests.factories import make_need

TODAY = date.today()


def offer_body(**overrides):
    body = {
        "kind": "individual_expert", "title": "Senior corrections officer",
        "summary": "Twenty years running high-security prisons; trained staff in three missions.",
        "expert_name": "Amina Odhiambo", "expert_email": "amina@example.org", "nationality": "KEN",
        "gender": "female", "years_experience": 20, "areas": ["corrections", "criminal_justice"],
        "skills": ["Prison Management", "corrections_training"], "languages": [{"code": "eng", "level": "C2"}],
        "available_from": TODAY.isoformat(), "available_until": (TODAY + timedelta(days=365)).isoformat(),
        "cost_bearer": "provider",
        "past_deployments": [{"country": "SOM", "organization_name": "UNSOM", "role": "Corrections adviser",
                              "started_on": "2018-01-01", "ended_on": "2019-06-30", "appraisal": 5}],
    }
    body.update(overrides)
    return body


@pytest.fixture
def world(session, bearer):
    kenya = make_org(session, "Kenya Prisons Service")
    norway = make_org(session, "Norwegian Crisis Response Pool", country="NOR")
    ngo = make_org(session, "Rule of Law Institute", kind="ngo", country="ZAF")
    mission = make_org(session, "UN Mission in South Sudan", kind="un_entity", country="SSD", request=True,
                       provide=False)
    users = {
        "provider": make_user(session, "provider", kenya),
        "other_provider": make_user(session, "provider", norway),
        "requester": make_user(session, "requester", mission),
        "officer": make_user(session, "officer"),
        "admin": make_user(session, "admin"),
    }
    headers = {name: bearer(user) for name, user in users.items()}
    session.commit()  # a failing request rolls back only its own work, not this setup
    return {"kenya": kenya, "norway": norway, "ngo": ngo, "mission": mission, "users": users, "h": headers}


def post_offer(client, world, who="provider", **overrides):
    response = client.post("/api/v1/offers", json=offer_body(**overrides), headers=world["h"][who])
    assert response.status_code == 201, response.text
    return response.json()


def row_counts(session):
    return tuple(session.scalar(sa.select(sa.func.count()).select_from(m))
                 for m in (Offer, OfferArea, OfferLanguage, PastDeployment, AuditEvent))


# --- create --------------------------------------------------------------------------------


def test_a_provider_lists_an_expert_and_sees_the_full_profile(client, session, world):
    created = post_offer(client, world, languages=[{"code": "sw", "level": "native"}, {"code": "eng", "level": "c1"}])
    assert created["view"] == "full"
    assert (created["expert_name"], created["expert_email"]) == ("Amina Odhiambo", "amina@example.org")
    assert created["provider"] == {"id": world["kenya"].id, "name": "Kenya Prisons Service", "acronym": None,
                                   "kind": "member_state_agency", "country": "KEN"}
    assert created["areas"] == ["corrections", "criminal_justice"]
    assert created["skills"] == ["prison_management", "corrections_training"]
    # "native" counts as C2; the 639-1 alias "sw" is stored as its 639-3 code.
    assert [(x["code"], x["level"]) for x in created["languages"]] == [("swa", "C2"), ("eng", "C1")]
    assert created["past_deployments"][0]["organization_name"] == "UNSOM"
    assert (created["status"], created["capacity"], created["reserved"]) == ("available", 1, 0)
    own_read = client.get(f"/api/v1/offers/{created['id']}", headers=world["h"]["provider"]).json()
    assert own_read == created
    event = session.scalars(sa.select(AuditEvent).where(AuditEvent.entity_type == "offer")).one()
    assert (event.action, event.to_state, event.entity_id) == ("create", "available", created["id"])


def test_the_public_sees_an_anonymized_profile(client, world):
    created = post_offer(client, world)
    public = client.get(f"/api/v1/offers/{created['id']}")
    assert public.status_code == 200
    body = public.json()
    assert body["view"] == "anonymized"
    assert "expert_name" not in body and "expert_email" not in body
    assert "organization_name" not in body["past_deployments"][0]
    assert body["past_deployments"][0]["country"] == "SOM"
    for kept in ("nationality", "gender", "years_experience", "languages", "areas", "skills", "summary", "provider"):
        assert body[kept] == created[kept]
    assert "Amina" not in public.text and "amina@" not in public.text and "UNSOM" not in public.text


def test_an_officer_lists_an_offer_for_a_named_provider(client, world):
    missing = client.post("/api/v1/offers", json=offer_body(), headers=world["h"]["officer"])
    assert missing.status_code == 422
    assert error_fields(missing) == ["provider_org_id"]
    created = post_offer(client, world, "officer", provider_org_id=world["ngo"].id, kind="training",
                         expert_name=None, nationality=None, title="Training for prosecutors")
    assert created["provider"]["id"] == world["ngo"].id
    assert created["view"] == "full"
    refused = client.post("/api/v1/offers", json=offer_body(provider_org_id=world["mission"].id),
                          headers=world["h"]["officer"])
    assert (refused.status_code, error_fields(refused)) == (422, ["provider_org_id"])


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"areas": ["corrections", "astrology"]}, "areas[1]"),
        ({"areas": []}, "areas"),
        ({"kind": "mercenary"}, "kind"),
        ({"expert_name": None}, "expert_name"),
        ({"nationality": None}, "nationality"),
        ({"nationality": "ZZZ"}, "nationality"),
        ({"languages": [{"code": "xx", "level": "B2"}]}, "languages[0].code"),
        ({"languages": [{"code": "eng", "level": "fluent"}]}, "languages[0].level"),
        ({"available_from": "2031-01-10", "available_until": "2031-01-01"}, "available_until"),
        ({"available_until": (TODAY - timedelta(days=1)).isoformat()}, "available_until"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": "two"}, "capacity"),
        ({"years_experience": 61}, "years_experience"),
        ({"monthly_cost_usd": -5}, "monthly_cost_usd"),
        ({"cost_bearer": "nobody"}, "cost_bearer"),
        ({"gender": "unknown"}, "gender"),
        ({"expert_email": "not-an-email"}, "expert_email"),
        ({"past_deployments": [{"country": "SOM", "organization_name": "UNSOM", "role": "Adviser",
                                "started_on": "2019-01-01", "ended_on": "2018-01-01"}]}, "past_deployments[0].ended_on"),
        ({"past_deployments": [{"country": "SOM", "organization_name": "UNSOM", "role": "Adviser",
                                "started_on": "2019-01-01", "appraisal": 6}]}, "past_deployments[0].appraisal"),
        ({"past_deployments": [{"country": "QQQ", "organization_name": "UNSOM", "role": "Adviser",
                                "started_on": "2019-01-01"}]}, "past_deployments[0].country"),
        ({"status": "deployed"}, "status"),
    ],
)
def test_a_bad_offer_is_refused_naming_the_field_and_nothing_is_written(client, session, world, overrides, field):
    before = row_counts(session)
    response = client.post("/api/v1/offers", json=offer_body(**overrides), headers=world["h"]["provider"])
    assert response.status_code == 422, response.text
    assert field in error_fields(response)
    assert row_counts(session) == before


def test_a_malformed_offer_body_writes_nothing(client, session, world):
    before = row_counts(session)
    response = client.post("/api/v1/offers", content=b"[not json", headers={
        **world["h"]["provider"], "Content-Type": "application/json"})
    assert response.status_code == 422
    assert row_counts(session) == before


def test_only_providers_and_the_secretariat_list_offers(client, world):
    assert client.post("/api/v1/offers", json=offer_body()).status_code == 401
    assert client.post("/api/v1/offers", json=offer_body(), headers=world["h"]["requester"]).status_code == 403
    other = client.post("/api/v1/offers", json=offer_body(provider_org_id=world["kenya"].id),
                        headers=world["h"]["other_provider"])
    assert (other.status_code, error_fields(other)) == (403, ["provider_org_id"])


# --- lists -----------------------------------------------------------------------------------


def test_an_offer_list_answers_the_page_shape_in_availability_order(client, world):
    ids = [post_offer(client, world, title=f"Prison expert {i}",
                      available_from=(TODAY + timedelta(days=3 - i)).isoformat())["id"] for i in range(3)]
    page = client.get("/api/v1/offers", params={"page_size": 2, "page": 2}).json()
    assert (page["total"], page["page"], page["page_size"]) == (3, 2, 2)
    assert [o["id"] for o in page["items"]] == [ids[0]]
    assert client.get("/api/v1/offers", params={"page_size": 500}).status_code == 422


def test_each_offer_filter_keeps_only_the_offers_that_match(client, session, world):
    kenyan = post_offer(client, world)
    norwegian = post_offer(client, world, "other_provider", title="Police trainer", nationality="NOR",
                           expert_name="Ola Nordmann", areas=["police"], skills=["community_policing"], languages=[{"code": "fra", "level": "B2"}],
                           summary="Community policing.")
    team = post_offer(client, world, "officer", provider_org_id=world["ngo"].id, kind="expert_team",
                      expert_name=None, nationality=None, title="Elections support team", areas=["elections"], skills=[],
                      languages=[{"code": "por", "level": "C1"}], summary="Voter registration.")
    withdrawn = post_offer(client, world, title="Withdrawn expert")
    client.post(f"/api/v1/offers/{withdrawn['id']}/withdraw", headers=world["h"]["provider"])
    cases = {
        "cluster=justice": [kenyan["id"]],
        "cluster=inclusive_political_processes": [team["id"]],
        "area=police": [norwegian["id"]],
        "area=criminal_justice": [kenyan["id"]],
        "country=NOR": [norwegian["id"]],
        "country=zaf": [team["id"]],
        "language=fr": [norwegian["id"]],
        "language=por": [team["id"]],
        "provider_kind=ngo": [team["id"]],
        "provider_kind=member_state_agency": [kenyan["id"], norwegian["id"]],
        "global_south=true": [kenyan["id"], team["id"]],
        "global_south=false": [norwegian["id"]],
        "kind=expert_team": [team["id"]],
        f"provider={world['norway'].id}": [norwegian["id"]],
        "status=withdrawn": [],  # the public never sees withdrawn offers
        "": [kenyan["id"], norwegian["id"], team["id"]],  # default: available
    }
    for query, expected in cases.items():
        found = client.get(f"/api/v1/offers?{query}").json()
        assert sorted(o["id"] for o in found["items"]) == sorted(expected), query
        assert found["total"] == len(expected), query
    mine = client.get("/api/v1/offers?status=withdrawn", headers=world["h"]["provider"]).json()
    assert [o["id"] for o in mine["items"]] == [withdrawn["id"]]


def test_full_text_search_ranks_offers_and_never_searches_personal_data(client, world):
    summary_hit = post_offer(client, world, title="Justice expert", summary="Expert in juvenile probation reform.")
    title_hit = post_offer(client, world, title="Probation specialist", summary="Probation officer training.")
    post_offer(client, world, title="Mine action adviser", areas=["mine_action"], skills=[], summary="Demining surveys.")
    found = client.get("/api/v1/offers", params={"q": "probation"}).json()
    assert [o["id"] for o in found["items"]] == [title_hit["id"], summary_hit["id"]]
    assert client.get("/api/v1/offers", params={"q": "Odhiambo"}).json()["total"] == 0


# --- update and withdraw ---------------------------------------------------------------------


def test_a_patch_changes_only_the_fields_sent(client, session, world):
    offer = post_offer(client, world)
    response = client.patch(f"/api/v1/offers/{offer['id']}", headers=world["h"]["provider"], json={
        "capacity": 3, "areas": ["corrections", "prosecution"], "past_deployments": [], "monthly_cost_usd": 8500.5})
    assert response.status_code == 200, response.text
    updated = response.json()
    assert (updated["capacity"], updated["areas"], updated["past_deployments"]) == (3, ["prosecution", "corrections"], [])
    assert updated["monthly_cost_usd"] == 8500.5
    unchanged = ("title", "summary", "expert_name", "languages", "skills", "available_from", "nationality")
    assert {k: updated[k] for k in unchanged} == {k: offer[k] for k in unchanged}
    event = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "update")).one()
    assert event.data == {"changed": ["areas", "capacity", "monthly_cost_usd", "past_deployments"]}


@pytest.mark.parametrize(("body", "field"), [
    ({"title": None}, "title"),
    ({"areas": ["nowhere"]}, "areas[0]"),
    ({"expert_name": None}, "expert_name"),
    ({"available_until": "2000-01-01"}, "available_until"),
    ({"available_from": "2090-01-01"}, "available_until"),
    ({"status": "available"}, "status"),
    ({"reserved": 0}, "reserved"),
])
def test_a_bad_offer_patch_is_refused_naming_the_field(client, world, body, field):
    offer = post_offer(client, world)
    response = client.patch(f"/api/v1/offers/{offer['id']}", json=body, headers=world["h"]["provider"])
    assert response.status_code == 422, response.text
    assert error_fields(response) == [field]
    assert client.get(f"/api/v1/offers/{offer['id']}", headers=world["h"]["provider"]).json() == offer


def test_capacity_cannot_go_below_what_is_reserved(client, session, world):
    offer = post_offer(client, world, capacity=3)
    session.execute(sa.update(Offer).where(Offer.id == offer["id"]).values(reserved=2))
    session.commit()
    response = client.patch(f"/api/v1/offers/{offer['id']}", json={"capacity": 1}, headers=world["h"]["provider"])
    assert response.status_code == 422
    assert error_fields(response) == ["capacity"]
    assert "cannot go below 2" in response.json()["error"]["fields"][0]["message"]
    assert client.get(f"/api/v1/offers/{offer['id']}", headers=world["h"]["provider"]).json()["capacity"] == 3


def test_a_capacity_change_moves_the_offers_status_both_ways(client, session, world):
    offer = post_offer(client, world, capacity=3)
    for _ in range(2):  # two needs, each with an approved proposal of the offer
        need = make_need(session, requester_org_id=world["mission"].id)
        session.add(Proposal(need_id=need.id, offer_id=offer["id"], score=0.5, breakdown={}, status="approved"))
    session.execute(sa.update(Offer).where(Offer.id == offer["id"]).values(reserved=2))
    session.commit()
    url = f"/api/v1/offers/{offer['id']}"
    full = client.patch(url, json={"capacity": 2}, headers=world["h"]["provider"]).json()
    assert (full["capacity"], full["reserved"], full["status"]) == (2, 2, "reserved")
    again = client.patch(url, json={"capacity": 4}, headers=world["h"]["officer"]).json()
    assert (again["capacity"], again["status"]) == (4, "available")


def test_withdrawing_an_offer_records_it_and_hides_it_from_others(client, session, world):
    offer = post_offer(client, world)
    url = f"/api/v1/offers/{offer['id']}"
    response = client.post(f"{url}/withdraw", json={"reason": "Expert retired"}, headers=world["h"]["provider"])
    assert (response.status_code, response.json()["status"]) == (200, "withdrawn")
    event = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "withdraw")).one()
    assert (event.from_state, event.to_state, event.reason) == ("available", "withdrawn", "Expert retired")
    assert client.get(url).status_code == 404
    assert client.get(url, headers=world["h"]["other_provider"]).status_code == 404
    assert client.get(url, headers=world["h"]["officer"]).status_code == 200
    assert client.post(f"{url}/withdraw", headers=world["h"]["provider"]).status_code == 409
    assert client.patch(url, json={"title": "Back again"}, headers=world["h"]["provider"]).status_code == 409


def test_an_offer_holding_reservations_or_deployed_cannot_be_withdrawn(client, session, world):
    reserved = post_offer(client, world, capacity=2)
    deployed = post_offer(client, world)
    session.execute(sa.update(Offer).where(Offer.id == reserved["id"]).values(reserved=1))
    session.execute(sa.update(Offer).where(Offer.id == deployed["id"]).values(status="deployed", reserved=1))
    session.commit()
    held = client.post(f"/api/v1/offers/{reserved['id']}/withdraw", headers=world["h"]["provider"])
    assert held.status_code == 409
    assert "held by an approved proposal" in held.json()["error"]["message"]
    out = client.post(f"/api/v1/offers/{deployed['id']}/withdraw", headers=world["h"]["officer"])
    assert out.status_code == 409
    assert "deployed" in out.json()["error"]["message"]
    assert session.scalar(sa.select(sa.func.count()).where(Offer.status == "withdrawn")) == 0


def test_only_the_provider_and_the_secretariat_may_change_an_offer(client, world):
    offer = post_offer(client, world)
    url = f"/api/v1/offers/{offer['id']}"
    assert client.patch(url, json={"title": "Changed"}).status_code == 401
    assert client.post(f"{url}/withdraw").status_code == 401
    assert client.patch(url, json={"title": "Changed"}, headers=world["h"]["requester"]).status_code == 403
    assert client.post(f"{url}/withdraw", headers=world["h"]["requester"]).status_code == 403
    assert client.patch(url, json={"title": "Changed by the officer"},
                        headers=world["h"]["officer"]).json()["title"] == "Changed by the officer"


def test_an_unknown_offer_is_404(client, world):
    assert client.get("/api/v1/offers/424242").status_code == 404
    assert client.patch("/api/v1/offers/424242", json={"title": "Ghost"}, headers=world["h"]["provider"]).status_code == 404
    assert client.post("/api/v1/offers/424242/withdraw", headers=world["h"]["provider"]).status_code == 404
