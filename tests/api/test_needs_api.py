"""The needs API: posting, reading, searching, changing, closing and cancelling needs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from capmatch.audit.models import AuditEvent
from capmatch.needs.models import Need
from capmatch.offers.models import Offer
from capmatch.organizations.models import Membership
from capmatch.proposals.models import Proposal
from tests.api import support
from tests.api.support import error_fields, make_user
from tests.factories import make_offer


def make_org(session, name, *, kind="un_entity", country="SSD", request=True, provide=False, acronym=None):
    """The needs tests' organizations are requesters unless they say otherwise."""
    return support.make_org(session, name, kind=kind, country=country, request=request, provide=provide,
                            acronym=acronym)


SOON = date.today() + timedelta(days=30)


def need_body(**overrides):
    body = {
        "duty_country": "SSD", "title": "Prison management adviser",
        "terms_of_reference": "Advise the national prison service on classification of detainees.",
        "area": "corrections", "skills": ["prison_management"], "languages": [{"code": "eng", "min_level": "B2"}],
        "start_by": SOON.isoformat(), "duration_months": 6, "modality": "deployed_expert",
        "funding": "requester_paid",
    }
    body.update(overrides)
    return body


@pytest.fixture
def world(session, bearer):
    mission = make_org(session, "UN Mission in South Sudan", acronym="UNMISS")
    ministry = make_org(session, "Ministry of Justice of Mali", kind="host_government_ministry", country="MLI")
    agency = make_org(session, "Kenya Prisons Service", kind="member_state_agency", country="KEN",
                      request=False, provide=True)
    au = make_org(session, "African Union", kind="regional_organization", country=None, request=True, provide=True)
    session.add_all(Membership(organization_id=au.id, country_iso3=c) for c in ("KEN", "MLI", "GHA"))
    users = {
        "requester": make_user(session, "requester", mission),
        "other_requester": make_user(session, "requester", ministry),
        "provider": make_user(session, "provider", agency),
        "officer": make_user(session, "officer"),
    }
    headers = {name: bearer(user) for name, user in users.items()}
    # Committed (a savepoint release) so a request that fails and rolls back keeps the setup.
    session.commit()
    return {"mission": mission, "ministry": ministry, "agency": agency, "au": au, "users": users, "h": headers}


def post_need(client, world, who="requester", **overrides):
    response = client.post("/api/v1/needs", json=need_body(**overrides), headers=world["h"][who])
    assert response.status_code == 201, response.text
    return response.json()


def count_needs(session):
    return session.scalar(sa.select(sa.func.count()).select_from(Need))


# --- create --------------------------------------------------------------------------------


def test_a_requester_posts_a_need_for_its_organization_and_reads_it_back(client, session, world):
    created = post_need(
        client, world, skills=["Prison Management ", "prison_management", "Prisoner classification"],
        languages=[{"code": "fr", "min_level": "c1"}, {"code": "eng", "min_level": "B2"}],
        allowed_provider_kinds=["member_state_agency", "member_state_agency"], gender_target=0.5,
        eligible_members_of=[world["au"].id],
    )
    assert created["requester"] == {"id": world["mission"].id, "name": "UN Mission in South Sudan", "acronym": "UNMISS"}
    assert created["skills"] == ["prison_management", "prisoner_classification"]
    assert created["languages"] == [
        {"code": "fra", "name": "French", "min_level": "C1"},
        {"code": "eng", "name": "English", "min_level": "B2"},
    ]
    assert created["allowed_provider_kinds"] == ["member_state_agency"]
    assert created["eligible_members_of"] == [world["au"].id]
    assert (created["status"], created["cluster"], created["gender_target"]) == ("open", "justice", 0.5)

    fetched = client.get(f"/api/v1/needs/{created['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == created
    event = session.scalars(sa.select(AuditEvent).where(AuditEvent.entity_type == "need")).one()
    assert (event.entity_id, event.action, event.to_state, event.actor_id) == (
        created["id"], "create", "open", world["users"]["requester"].id)


def test_an_officer_posts_a_need_only_when_naming_the_requesting_organization(client, world):
    missing = client.post("/api/v1/needs", json=need_body(), headers=world["h"]["officer"])
    assert missing.status_code == 422
    assert error_fields(missing) == ["requester_org_id"]

    created = post_need(client, world, "officer", requester_org_id=world["ministry"].id)
    assert created["requester"]["id"] == world["ministry"].id


def test_an_officer_cannot_post_for_an_organization_that_does_not_request(client, world):
    response = client.post("/api/v1/needs", json=need_body(requester_org_id=world["agency"].id),
                           headers=world["h"]["officer"])
    assert response.status_code == 422
    assert error_fields(response) == ["requester_org_id"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"area": "astrology"}, "area"),
        ({"duty_country": "XYZ"}, "duty_country"),
        ({"duty_country": "South Sudan"}, "duty_country"),
        ({"languages": [{"code": "eng", "min_level": "B2"}, {"code": "qqq", "min_level": "B2"}]}, "languages[1].code"),
        ({"languages": [{"code": "eng", "min_level": "D1"}]}, "languages[0].min_level"),
        ({"languages": [{"code": "eng", "min_level": "B2"}, {"code": "en", "min_level": "C1"}]}, "languages[1].code"),
        ({"positions": "many"}, "positions"),
        ({"positions": 0}, "positions"),
        ({"duration_months": 61}, "duration_months"),
        ({"min_years_experience": -1}, "min_years_experience"),
        ({"gender_target": 1.5}, "gender_target"),
        ({"start_by": "next week"}, "start_by"),
        ({"start_by": (date.today() - timedelta(days=1)).isoformat()}, "start_by"),
        ({"modality": "telepathy"}, "modality"),
        ({"urgency": "yesterday"}, "urgency"),
        ({"status": "filled"}, "status"),
        ({"allowed_provider_kinds": []}, "allowed_provider_kinds"),
        ({"allowed_provider_kinds": ["pirates"]}, "allowed_provider_kinds[0]"),
        ({"eligible_members_of": [999999]}, "eligible_members_of"),
        ({"eligible_members_of": 7}, "eligible_members_of"),
        ({"title": "  "}, "title"),
        ({"skills": "law"}, "skills"),
        ({"salary": 100}, "salary"),
    ],
)
def test_a_bad_need_is_refused_naming_the_field_and_nothing_is_written(client, session, world, overrides, field):
    before = count_needs(session)
    response = client.post("/api/v1/needs", json=need_body(**overrides), headers=world["h"]["requester"])
    assert response.status_code == 422, response.text
    assert field in error_fields(response)
    assert count_needs(session) == before


def test_eligibility_must_name_a_grouping_with_members(client, world):
    response = client.post("/api/v1/needs", json=need_body(eligible_members_of=[world["au"].id, world["ministry"].id]),
                           headers=world["h"]["requester"])
    assert response.status_code == 422
    assert error_fields(response) == ["eligible_members_of"]


def test_a_body_missing_required_fields_names_each_of_them(client, world):
    response = client.post("/api/v1/needs", json={"title": "Judge"}, headers=world["h"]["requester"])
    assert response.status_code == 422
    assert {"duty_country", "area", "start_by", "duration_months", "modality", "funding"} <= set(error_fields(response))


def test_a_malformed_json_body_is_refused_and_writes_nothing(client, session, world):
    before = (count_needs(session), session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)))
    response = client.post("/api/v1/needs", content=b'{"title": "Judge", ', headers={
        **world["h"]["requester"], "Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"
    assert error_fields(response) == ["body"]
    assert (count_needs(session), session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))) == before


def test_posting_a_need_without_a_token_is_401(client, world):
    response = client.post("/api/v1/needs", json=need_body())
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_bad_token_is_401(client, world):
    response = client.get("/api/v1/needs", headers={"Authorization": "Bearer cm_nonsense"})
    assert response.status_code == 401


def test_a_provider_cannot_post_a_need(client, world):
    response = client.post("/api/v1/needs", json=need_body(), headers=world["h"]["provider"])
    assert response.status_code == 403


def test_a_requester_cannot_post_for_another_organization(client, world):
    response = client.post("/api/v1/needs", json=need_body(requester_org_id=world["ministry"].id),
                           headers=world["h"]["requester"])
    assert response.status_code == 403
    assert error_fields(response) == ["requester_org_id"]


def test_a_requester_whose_organization_stopped_requesting_cannot_post(client, session, world):
    world["mission"].may_provide, world["mission"].may_request = True, False
    session.commit()
    response = client.post("/api/v1/needs", json=need_body(), headers=world["h"]["requester"])
    assert response.status_code == 403


# --- read and visibility ---------------------------------------------------------------------


def test_an_unknown_need_is_404(client, world):
    assert client.get("/api/v1/needs/987654").status_code == 404
    assert client.patch("/api/v1/needs/987654", json={"title": "New title"},
                        headers=world["h"]["requester"]).status_code == 404
    assert client.post("/api/v1/needs/987654/cancel", headers=world["h"]["requester"]).status_code == 404


def test_a_draft_is_seen_only_by_its_requester_organization_and_the_secretariat(client, world):
    draft = post_need(client, world, status="draft", title="Draft judge post")
    url = f"/api/v1/needs/{draft['id']}"
    assert client.get(url).status_code == 404
    assert client.get(url, headers=world["h"]["other_requester"]).status_code == 404
    assert client.get(url, headers=world["h"]["provider"]).status_code == 404
    assert client.get(url, headers=world["h"]["requester"]).status_code == 200
    assert client.get(url, headers=world["h"]["officer"]).status_code == 200

    assert draft["id"] not in [n["id"] for n in client.get("/api/v1/needs").json()["items"]]
    assert draft["id"] in [n["id"] for n in client.get("/api/v1/needs", headers=world["h"]["requester"]).json()["items"]]
    assert draft["id"] in [n["id"] for n in client.get("/api/v1/needs", headers=world["h"]["officer"]).json()["items"]]
    asked = client.get("/api/v1/needs", params={"status": "draft"}, headers=world["h"]["other_requester"]).json()
    assert asked["total"] == 0
    # Another requester cannot change what it cannot see.
    assert client.patch(url, json={"title": "Hijacked"}, headers=world["h"]["other_requester"]).status_code == 404


def test_a_list_answers_the_page_shape(client, world):
    ids = [post_need(client, world, title=f"Judicial adviser {i}", start_by=(SOON + timedelta(days=i)).isoformat())["id"]
           for i in range(3)]
    first = client.get("/api/v1/needs", params={"page_size": 2}).json()
    second = client.get("/api/v1/needs", params={"page_size": 2, "page": 2}).json()
    assert (first["total"], first["page"], first["page_size"]) == (3, 1, 2)
    assert [n["id"] for n in first["items"]] + [n["id"] for n in second["items"]] == ids  # by start_by


@pytest.mark.parametrize("params", [{"page": 0}, {"page_size": 0}, {"page_size": 201}, {"page": "x"},
                                   {"status": "lost"}, {"urgency": "soon"}, {"global_south": "maybe"}])
def test_bad_list_parameters_are_422_naming_them(client, world, params):
    response = client.get("/api/v1/needs", params=params)
    assert response.status_code == 422
    assert error_fields(response)[0].startswith(next(iter(params)))


def test_each_filter_keeps_only_the_needs_that_match(client, world):
    south = post_need(client, world, title="Corrections adviser", area="corrections", duty_country="SSD",
                      languages=[{"code": "ara", "min_level": "B1"}], urgency="critical")
    north = post_need(client, world, "officer", requester_org_id=world["ministry"].id, title="Police trainer",
                      area="police", skills=["police_training"], duty_country="NOR", languages=[{"code": "fra", "min_level": "C1"}], urgency="low")
    draft = post_need(client, world, title="Draft need", status="draft", area="elections", skills=[])
    cases = {
        "cluster=justice": [south["id"]],
        "cluster=safety_security": [north["id"]],
        "area=police": [north["id"]],
        "country=ssd": [south["id"]],
        "language=fra": [north["id"]],
        "language=ar": [south["id"]],
        "urgency=critical": [south["id"]],
        "urgency=low&urgency=critical": [south["id"], north["id"]],
        f"requester={world['ministry'].id}": [north["id"]],
        "global_south=true": [south["id"]],
        "global_south=false": [north["id"]],
        "status=draft": [draft["id"]],
        "status=open": [south["id"], north["id"]],
    }
    for query, expected in cases.items():
        # The public does not see the draft; the officer is asked only where it should show.
        headers = world["h"]["officer"] if "draft" in query else {}
        found = client.get(f"/api/v1/needs?{query}", headers=headers).json()
        assert sorted(n["id"] for n in found["items"]) == sorted(expected), query
        assert found["total"] == len(expected), query


def test_full_text_search_finds_a_word_in_the_terms_of_reference_and_ranks_title_matches_first(client, world):
    in_terms = post_need(client, world, title="Justice sector adviser",
                         terms_of_reference="Support the reform of juvenile detention and probation services.")
    in_title = post_need(client, world, title="Probation officer",
                         terms_of_reference="Mentor probation staff on probation case management.")
    post_need(client, world, title="Electoral adviser", area="elections", skills=["voter_registration"],
              terms_of_reference="Plan voter registration for the referendum.")
    found = client.get("/api/v1/needs", params={"q": "probation"}).json()
    assert [n["id"] for n in found["items"]] == [in_title["id"], in_terms["id"]]
    juvenile = client.get("/api/v1/needs", params={"q": "juvenile detention"}).json()
    assert [n["id"] for n in juvenile["items"]] == [in_terms["id"]]
    assert client.get("/api/v1/needs", params={"q": "-probation referendum"}).json()["total"] == 1


# --- update ----------------------------------------------------------------------------------


def test_a_patch_changes_only_the_fields_sent(client, session, world):
    need = post_need(client, world)
    response = client.patch(f"/api/v1/needs/{need['id']}", headers=world["h"]["requester"],
                            json={"title": "Senior prison adviser", "languages": [{"code": "fra", "min_level": "B1"}],
                                  "gender_target": None})
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["title"] == "Senior prison adviser"
    assert updated["languages"] == [{"code": "fra", "name": "French", "min_level": "B1"}]
    assert {k: v for k, v in updated.items() if k not in ("title", "languages", "updated_at")} == {
        k: v for k, v in need.items() if k not in ("title", "languages", "updated_at")}
    event = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "update")).one()
    assert event.data == {"changed": ["gender_target", "languages", "title"]}


@pytest.mark.parametrize(("body", "field", "status"), [
    ({"title": None}, "title", 422),
    ({"area": "astrology"}, "area", 422),
    ({"positions": 501}, "positions", 422),
    ({"start_by": "2001-01-01"}, "start_by", 422),
    ({"status": "cancelled"}, "status", 422),
    ({"status": "draft"}, "status", 409),
    ({"status": "filled"}, "status", 409),
    ({"requester_org_id": 1}, "requester_org_id", 422),
])
def test_a_bad_patch_is_refused_naming_the_field_and_changes_nothing(client, session, world, body, field, status):
    need = post_need(client, world)
    response = client.patch(f"/api/v1/needs/{need['id']}", json=body, headers=world["h"]["requester"])
    assert response.status_code == status, response.text
    assert error_fields(response) == [field]
    assert client.get(f"/api/v1/needs/{need['id']}").json() == need


def test_a_draft_is_published_by_patching_its_status_to_open(client, session, world):
    draft = post_need(client, world, status="draft")
    response = client.patch(f"/api/v1/needs/{draft['id']}", json={"status": "open"}, headers=world["h"]["requester"])
    assert response.json()["status"] == "open"
    assert client.get(f"/api/v1/needs/{draft['id']}").status_code == 200
    event = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "update")).one()
    assert (event.from_state, event.to_state) == ("draft", "open")


def test_positions_below_what_proposals_hold_are_a_422_naming_positions_and_nothing_is_written(
    client, session, world,
):
    need = post_need(client, world, positions=3)
    for status in ("approved", "deployed"):
        proposal_for(session, world, need["id"], status)
    before = client.get(f"/api/v1/needs/{need['id']}", headers=world["h"]["requester"]).json()
    response = client.patch(f"/api/v1/needs/{need['id']}", json={"positions": 1, "title": "Renamed"},
                            headers=world["h"]["requester"])
    assert response.status_code == 422
    assert error_fields(response) == ["positions"]
    assert "cannot go below 2" in response.json()["error"]["fields"][0]["message"]
    assert client.get(f"/api/v1/needs/{need['id']}", headers=world["h"]["requester"]).json() == before
    assert session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "update")).all() == []


def test_a_positions_change_moves_the_needs_fill_status_both_ways(client, session, world):
    need = post_need(client, world, positions=3)
    for status in ("approved", "agreed"):
        proposal_for(session, world, need["id"], status)
    url = f"/api/v1/needs/{need['id']}"
    full = client.patch(url, json={"positions": 2}, headers=world["h"]["requester"]).json()
    assert (full["positions"], full["status"]) == (2, "filled")
    again = client.patch(url, json={"positions": 4}, headers=world["h"]["officer"]).json()
    assert (again["positions"], again["status"]) == (4, "partially_filled")


def test_only_the_requesting_organization_and_the_secretariat_may_change_a_need(client, world):
    need = post_need(client, world)
    url = f"/api/v1/needs/{need['id']}"
    assert client.patch(url, json={"title": "Changed"}).status_code == 401
    assert client.patch(url, json={"title": "Changed"}, headers=world["h"]["provider"]).status_code == 403
    assert client.patch(url, json={"title": "Changed"}, headers=world["h"]["other_requester"]).status_code == 403
    assert client.post(f"{url}/cancel", headers=world["h"]["other_requester"]).status_code == 403
    assert client.get(url).json()["title"] == need["title"]
    assert client.patch(url, json={"urgency": "high"}, headers=world["h"]["officer"]).json()["urgency"] == "high"


# --- cancel ----------------------------------------------------------------------------------


def test_cancelling_a_need_records_the_reason_and_freezes_it(client, session, world):
    need = post_need(client, world)
    url = f"/api/v1/needs/{need['id']}"
    response = client.post(f"{url}/cancel", json={"reason": "Mandate ended"}, headers=world["h"]["requester"])
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    event = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "cancel")).one()
    assert (event.from_state, event.to_state, event.reason) == ("open", "cancelled", "Mandate ended")

    assert client.get(url).status_code == 404  # no longer public
    edit = client.patch(url, json={"title": "Revived"}, headers=world["h"]["requester"])
    assert edit.status_code == 409
    assert client.post(f"{url}/cancel", headers=world["h"]["requester"]).status_code == 409


def proposal_for(session, world, need_id, status):
    """A proposal of a new offer of the agency for the need, already `status` (holding a place if it should)."""
    holds = status in ("approved", "accepted", "confirmed", "agreed", "deployed")
    offer = make_offer(session, provider_org_id=world["agency"].id, reserved=int(holds),
                       status="reserved" if holds else "available")
    proposal = Proposal(need_id=need_id, offer_id=offer.id, score=0.7, breakdown={}, status=status)
    session.add(proposal)
    session.commit()
    return proposal, offer


def test_cancelling_a_need_withdraws_its_proposals_and_frees_their_offers(client, session, world):
    need = post_need(client, world, positions=2)
    agreed, agreed_offer = proposal_for(session, world, need["id"], "agreed")
    proposed, _ = proposal_for(session, world, need["id"], "proposed")
    response = client.post(f"/api/v1/needs/{need['id']}/cancel", json={"reason": "Mandate ended"},
                           headers=world["h"]["requester"])
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    session.expire_all()
    assert [session.get(Proposal, p.id).status for p in (agreed, proposed)] == ["withdrawn", "withdrawn"]
    offer = session.get(Offer, agreed_offer.id)
    assert (offer.reserved, offer.status) == (0, "available")


def test_a_need_with_an_expert_deployed_cannot_be_cancelled_and_the_error_names_the_status(client, session, world):
    need = post_need(client, world, positions=2)
    deployed, _ = proposal_for(session, world, need["id"], "deployed")
    approved, _ = proposal_for(session, world, need["id"], "approved")
    response = client.post(f"/api/v1/needs/{need['id']}/cancel", headers=world["h"]["requester"])
    assert response.status_code == 409
    assert error_fields(response) == ["status"]
    assert "deployed" in response.json()["error"]["message"]
    session.expire_all()
    assert session.get(Need, need["id"]).status == "open"
    assert [session.get(Proposal, p.id).status for p in (deployed, approved)] == ["deployed", "approved"]


# --- close -----------------------------------------------------------------------------------


def test_closing_a_need_withdraws_its_proposals_not_yet_deployed_and_leaves_the_deployed(client, session, world):
    need = post_need(client, world, positions=2)
    deployed, deployed_offer = proposal_for(session, world, need["id"], "deployed")
    agreed, agreed_offer = proposal_for(session, world, need["id"], "agreed")
    response = client.post(f"/api/v1/needs/{need['id']}/close", json={"reason": "Enough experts"},
                           headers=world["h"]["requester"])
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "closed"
    session.expire_all()
    assert [session.get(Proposal, p.id).status for p in (deployed, agreed)] == ["deployed", "withdrawn"]
    assert session.get(Proposal, agreed.id).reason == "Need closed: Enough experts"
    assert [session.get(Offer, o.id).reserved for o in (deployed_offer, agreed_offer)] == [1, 0]
    event = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "close")).one()
    assert (event.from_state, event.to_state, event.reason) == ("open", "closed", "Enough experts")
    assert client.get(f"/api/v1/needs/{need['id']}").status_code == 404  # no longer in the marketplace
    assert client.get(f"/api/v1/needs/{need['id']}", headers=world["h"]["requester"]).json()["status"] == "closed"


def test_patching_the_status_to_closed_closes_the_need_by_the_same_rule(client, session, world):
    need = post_need(client, world)
    approved, offer = proposal_for(session, world, need["id"], "approved")
    response = client.patch(f"/api/v1/needs/{need['id']}", json={"status": "closed", "urgency": "low"},
                            headers=world["h"]["requester"])
    assert response.status_code == 200, response.text
    assert (response.json()["status"], response.json()["urgency"]) == ("closed", "low")
    session.expire_all()
    assert (session.get(Proposal, approved.id).status, session.get(Offer, offer.id).reserved) == ("withdrawn", 0)
    actions = session.scalars(sa.select(AuditEvent.action).where(AuditEvent.entity_type == "need",
                                                                 AuditEvent.entity_id == need["id"])
                              .order_by(AuditEvent.id)).all()
    assert actions == ["create", "update", "close"]


@pytest.mark.parametrize("how", ["post", "patch"])
def test_a_draft_cannot_be_closed_and_the_error_says_to_cancel_it(client, world, how):
    draft = post_need(client, world, status="draft")
    url = f"/api/v1/needs/{draft['id']}"
    h = world["h"]["requester"]
    response = client.post(f"{url}/close", headers=h) if how == "post" else \
        client.patch(url, json={"status": "closed"}, headers=h)
    assert response.status_code == 409
    assert error_fields(response) == ["status"]
    assert "cancel it instead" in response.json()["error"]["message"]
    assert client.get(url, headers=h).json()["status"] == "draft"


def test_a_closed_need_cannot_be_closed_again_nor_changed(client, world):
    need = post_need(client, world)
    url = f"/api/v1/needs/{need['id']}"
    h = world["h"]["requester"]
    assert client.post(f"{url}/close", headers=h).status_code == 200
    again = client.post(f"{url}/close", headers=h)
    assert again.status_code == 409 and "already closed" in again.json()["error"]["message"]
    assert client.patch(url, json={"status": "closed"}, headers=h).status_code == 409
    assert client.patch(url, json={"title": "Revived"}, headers=h).status_code == 409
    assert client.post(f"{url}/cancel", headers=h).status_code == 409


def test_a_need_refused_cancelling_for_its_deployed_expert_is_closed_as_the_error_says(client, session, world):
    need = post_need(client, world)
    proposal_for(session, world, need["id"], "deployed")
    refused = client.post(f"/api/v1/needs/{need['id']}/cancel", headers=world["h"]["requester"])
    assert refused.status_code == 409
    assert "Close the need instead" in refused.json()["error"]["message"]
    closed = client.post(f"/api/v1/needs/{need['id']}/close", headers=world["h"]["requester"])
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


def test_only_the_requesting_organization_and_the_secretariat_may_close_a_need(client, world):
    need = post_need(client, world)
    url = f"/api/v1/needs/{need['id']}"
    assert client.post(f"{url}/close").status_code == 401
    assert client.post(f"{url}/close", headers=world["h"]["provider"]).status_code == 403
    assert client.post(f"{url}/close", headers=world["h"]["other_requester"]).status_code == 403
    assert client.patch(url, json={"status": "closed"}, headers=world["h"]["other_requester"]).status_code == 403
    assert client.get(url).json()["status"] == "open"
    assert client.post(f"{url}/close", headers=world["h"]["officer"]).json()["status"] == "closed"


def test_a_close_without_a_body_is_accepted_and_a_bad_body_is_not(client, world):
    need = post_need(client, world)
    bad = client.post(f"/api/v1/needs/{need['id']}/close", json={"reason": "x" * 2001},
                      headers=world["h"]["requester"])
    assert bad.status_code == 422 and error_fields(bad) == ["reason"]
    assert client.post(f"/api/v1/needs/{need['id']}/close", headers=world["h"]["requester"]).status_code == 200


def test_a_cancel_without_a_body_is_accepted_and_a_bad_body_is_not(client, world):
    need = post_need(client, world)
    bad = client.post(f"/api/v1/needs/{need['id']}/cancel", json={"reason": 12, "why": "x"},
                      headers=world["h"]["requester"])
    assert bad.status_code == 422
    assert set(error_fields(bad)) == {"reason", "why"}
    assert client.post(f"/api/v1/needs/{need['id']}/cancel", headers=world["h"]["officer"]).status_code == 200


def test_eligibility_is_a_list_of_groupings_a_patch_replaces_whole(client, session, world):
    created = post_need(client, world, eligible_members_of=[world["au"].id])
    url = f"/api/v1/needs/{created['id']}"
    assert client.patch(url, json={"title": "Renamed adviser"}, headers=world["h"]["requester"]).json()[
        "eligible_members_of"] == [world["au"].id]
    cleared = client.patch(url, json={"eligible_members_of": []}, headers=world["h"]["requester"])
    assert cleared.status_code == 200, cleared.text
    assert client.get(url).json()["eligible_members_of"] == []
    refused = client.patch(url, json={"eligible_members_of": None}, headers=world["h"]["requester"])
    assert refused.status_code == 422 and error_fields(refused) == ["eligible_members_of"]
