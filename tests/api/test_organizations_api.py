"""The organizations API: public reads, administrators register and change, members edit their description."""

from __future__ import annotations


import pytest
import sqlalchemy as sa

from capmatch.audit.models import AuditEvent
from capmatch.organizations.models import Membership, Organization
from tests.api.support import error_fields, make_org, make_user


@pytest.fixture
def world(session, bearer):
    kenya = make_org(session, "Kenya Prisons Service", acronym="KPS")
    mission = make_org(session, "UN Mission in South Sudan", kind="un_entity", country="SSD", request=True,
                       provide=False, acronym="UNMISS")
    ecowas = make_org(session, "Economic Community of West African States", kind="regional_organization",
                      country=None, request=True, provide=True, acronym="ECOWAS")
    users = {"provider": make_user(session, "provider", kenya), "requester": make_user(session, "requester", mission),
             "officer": make_user(session, "officer"), "admin": make_user(session, "admin")}
    h = {name: bearer(user) for name, user in users.items()}
    session.commit()
    return {"kenya": kenya, "mission": mission, "ecowas": ecowas, "h": h}


def org_body(**overrides):
    body = {"name": "African Union", "acronym": "AU", "kind": "regional_organization", "may_request": True,
            "may_provide": True, "description": "Continental body.", "members": ["ken", "GHA", "MLI", "GHA"]}
    body.update(overrides)
    return body


def count_orgs(session):
    return session.scalar(sa.select(sa.func.count()).select_from(Organization))


def test_an_administrator_registers_a_grouping_with_its_members(client, session, world):
    response = client.post("/api/v1/organizations", json=org_body(), headers=world["h"]["admin"])
    assert response.status_code == 201, response.text
    org = response.json()
    assert (org["name"], org["country"], org["agreement_form"]) == ("African Union", None, "memorandum_of_understanding")
    assert org["members"] == ["GHA", "KEN", "MLI"]
    assert client.get(f"/api/v1/organizations/{org['id']}").json() == org
    members = session.scalars(sa.select(Membership.country_iso3).where(Membership.organization_id == org["id"])).all()
    assert sorted(members) == ["GHA", "KEN", "MLI"]
    event = session.scalars(sa.select(AuditEvent).where(AuditEvent.entity_type == "organization")).one()
    assert (event.action, event.entity_id) == ("create", org["id"])


@pytest.mark.parametrize(("overrides", "field", "status"), [
    ({"country": "XYZ"}, "country", 422),
    ({"kind": "intergovernmental_organization", "country": "CHE"}, "country", 422),
    ({"kind": "member_state_agency", "country": None}, "country", 422),
    ({"may_request": False, "may_provide": False}, "may_request", 422),
    ({"members": ["KEN", "ATLANTIS"]}, "members[1]", 422),
    ({"members": ["KEN", "QQQ"]}, "members[1]", 422),
    ({"kind": "club"}, "kind", 422),
    ({"name": "X"}, "name", 422),
    ({"agreement_form": "handshake"}, "agreement_form", 422),
    ({"may_request": "perhaps"}, "may_request", 422),
    ({"name": "kenya prisons service"}, "name", 409),
])
def test_a_bad_organization_is_refused_naming_the_field_and_nothing_is_written(
        client, session, world, overrides, field, status):
    before = count_orgs(session)
    response = client.post("/api/v1/organizations", json=org_body(**overrides), headers=world["h"]["admin"])
    assert response.status_code == status, response.text
    assert field in error_fields(response)
    assert count_orgs(session) == before


def test_only_an_administrator_registers_organizations(client, world):
    assert client.post("/api/v1/organizations", json=org_body()).status_code == 401
    for who in ("officer", "requester", "provider"):
        assert client.post("/api/v1/organizations", json=org_body(), headers=world["h"][who]).status_code == 403


def test_an_organizations_own_user_may_change_its_description_only(client, world):
    url = f"/api/v1/organizations/{world['kenya'].id}"
    ok = client.patch(url, json={"description": "Prison service of Kenya."}, headers=world["h"]["provider"])
    assert (ok.status_code, ok.json()["description"]) == (200, "Prison service of Kenya.")
    refused = client.patch(url, json={"description": "x", "may_request": True}, headers=world["h"]["provider"])
    assert (refused.status_code, error_fields(refused)) == (403, ["may_request"])
    other = client.patch(url, json={"description": "Taken over"}, headers=world["h"]["requester"])
    assert other.status_code == 403
    assert client.patch(url, json={"description": "Officer edit"}, headers=world["h"]["officer"]).status_code == 403
    assert client.get(url).json()["may_request"] is False


def test_an_administrator_changes_anything_and_replaces_members(client, session, world):
    url = f"/api/v1/organizations/{world['ecowas'].id}"
    response = client.patch(url, json={"members": ["GHA", "NGA"], "acronym": None, "may_request": False},
                            headers=world["h"]["admin"])
    assert response.status_code == 200, response.text
    assert (response.json()["members"], response.json()["acronym"], response.json()["may_request"]) == (
        ["GHA", "NGA"], None, False)
    assert client.patch(url, json={"members": []}, headers=world["h"]["admin"]).json()["members"] == []
    event = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "update")).first()
    assert event.data == {"changed": ["acronym", "may_request", "members"]}


@pytest.mark.parametrize(("body", "field", "status"), [
    ({"name": None}, "name", 422),
    ({"kind": "host_government_ministry"}, "country", 422),
    ({"may_provide": False, "may_request": False}, "may_request", 422),
    ({"name": "UN Mission in South Sudan"}, "name", 409),
    ({"members": ["KEN", 7]}, "members[1]", 422),
])
def test_a_bad_organization_patch_is_refused_naming_the_field(client, world, body, field, status):
    url = f"/api/v1/organizations/{world['ecowas'].id}"
    before = client.get(url).json()
    response = client.patch(url, json=body, headers=world["h"]["admin"])
    assert response.status_code == status, response.text
    assert error_fields(response) == [field]
    assert client.get(url).json() == before


def test_an_unknown_organization_is_404(client, world):
    assert client.get("/api/v1/organizations/999999").status_code == 404
    assert client.patch("/api/v1/organizations/999999", json={"description": "x"},
                        headers=world["h"]["admin"]).status_code == 404


def test_each_organization_filter_keeps_only_the_matching_ones(client, world):
    cases = {
        "kind=un_entity": [world["mission"].id],
        "kind=un_entity&kind=regional_organization": [world["mission"].id, world["ecowas"].id],
        "country=ken": [world["kenya"].id],
        "may_request=true": [world["mission"].id, world["ecowas"].id],
        "may_provide=false": [world["mission"].id],
        "q=west afr": [world["ecowas"].id],
        "q=unmiss": [world["mission"].id],
        "q=100%": [],
    }
    for query, expected in cases.items():
        found = client.get(f"/api/v1/organizations?{query}").json()
        assert sorted(o["id"] for o in found["items"]) == sorted(expected), query
        assert found["total"] == len(expected)


def test_the_organization_list_is_paged_by_name(client, world):
    page = client.get("/api/v1/organizations", params={"page_size": 1, "page": 2}).json()
    assert (page["total"], page["page"], page["page_size"]) == (3, 2, 1)
    assert [o["name"] for o in page["items"]] == ["Kenya Prisons Service"]
    assert client.get("/api/v1/organizations", params={"kind": "club"}).status_code == 422
