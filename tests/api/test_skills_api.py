"""Skills through the API: the vocabulary read by anyone, and needs and offers storing codes whatever the client wrote."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from capmatch.needs.models import Need
from capmatch.offers.models import Offer
from capmatch.taxonomy.models import Skill
from tests.api.support import error_fields, make_org, make_user

SOON = date.today() + timedelta(days=30)


@pytest.fixture
def world(session, bearer):
    mission = make_org(session, "UN Mission in Somalia", kind="un_entity", country="SOM", request=True, provide=False)
    agency = make_org(session, "Swedish Police Authority", country="SWE")
    headers = {"requester": bearer(make_user(session, "requester", mission)),
               "provider": bearer(make_user(session, "provider", agency))}
    session.commit()
    return headers


def need_body(skills, area="border_management"):
    return {"duty_country": "SOM", "title": "Border management adviser", "area": area, "skills": skills,
            "start_by": SOON.isoformat(), "duration_months": 6, "modality": "deployed_expert",
            "funding": "requester_paid"}


def offer_body(skills, areas=("border_management",)):
    return {"kind": "individual_expert", "title": "Border management adviser", "expert_name": "Astrid Berg",
            "nationality": "SWE", "areas": list(areas), "skills": skills, "available_from": date.today().isoformat(),
            "cost_bearer": "provider"}


def test_anyone_reads_an_areas_skills_with_their_names(client):
    page = client.get("/api/v1/skills", params={"area": "border_management"}).json()
    assert [s["code"] for s in page["items"]] == [
        "border_policing", "customs", "maritime_security", "migration_management", "integrated_border_management"]
    assert page["items"][-1] == {"code": "integrated_border_management", "name": "Integrated border management",
                                 "name_fr": "Gestion intégrée des frontières", "areas": ["border_management"], "retired": False}
    shared = client.get("/api/v1/skills", params={"area": "prosecution"}).json()["items"]
    assert next(s for s in shared if s["code"] == "case_management")["areas"] == [
        "judicial_reform", "prosecution", "criminal_justice"]


@pytest.mark.parametrize(("written", "stored"), [
    (["integrated_border_management"], ["integrated_border_management"]),
    (["Integrated border management", "Customs"], ["integrated_border_management", "customs"]),
    (["integrated border managment", "migration management", "Migration-Management"],
     ["integrated_border_management", "migration_management"]),
])
def test_a_need_and_an_offer_store_the_code_of_a_name_or_a_close_spelling(client, world, written, stored):
    need = client.post("/api/v1/needs", json=need_body(written), headers=world["requester"])
    offer = client.post("/api/v1/offers", json=offer_body(written), headers=world["provider"])
    assert (need.status_code, offer.status_code) == (201, 201), (need.text, offer.text)
    assert need.json()["skills"] == offer.json()["skills"] == stored


def test_an_unknown_skill_is_a_422_naming_its_place_and_the_nearest_codes_and_nothing_is_written(
        client, session, world):
    before = (session.scalar(sa.select(sa.func.count()).select_from(Need)),
              session.scalar(sa.select(sa.func.count()).select_from(Offer)))
    need = client.post("/api/v1/needs", json=need_body(["customs", "border survelance"]), headers=world["requester"])
    offer = client.post("/api/v1/offers", json=offer_body(["customs", "border survelance"]), headers=world["provider"])
    for response in (need, offer):
        assert response.status_code == 422
        assert error_fields(response) == ["skills[1]"]
        message = response.json()["error"]["message"]
        assert message.startswith("No skill of Border management is called 'border survelance'. Nearest: ")
        assert "border_policing (Border policing)" in message
    assert (session.scalar(sa.select(sa.func.count()).select_from(Need)),
            session.scalar(sa.select(sa.func.count()).select_from(Offer))) == before


def test_a_skill_must_belong_to_the_needs_area_or_one_of_the_offers_areas(client, world):
    need = client.post("/api/v1/needs", json=need_body(["prison_management"]), headers=world["requester"])
    assert need.status_code == 422 and error_fields(need) == ["skills[0]"]
    assert "is a skill of Corrections, not of Border management" in need.json()["error"]["message"]
    offer = client.post("/api/v1/offers", json=offer_body(["prison_management", "customs"],
                                                          areas=["border_management", "corrections"]),
                        headers=world["provider"])
    assert offer.status_code == 201 and offer.json()["skills"] == ["prison_management", "customs"]


def test_changing_the_area_checks_the_skills_the_need_keeps(client, world):
    need = client.post("/api/v1/needs", json=need_body(["customs"]), headers=world["requester"]).json()
    moved = client.patch(f"/api/v1/needs/{need['id']}", json={"area": "corrections"}, headers=world["requester"])
    assert moved.status_code == 422 and error_fields(moved) == ["skills[0]"]
    both = client.patch(f"/api/v1/needs/{need['id']}", json={"area": "corrections", "skills": ["Prison security"]},
                        headers=world["requester"])
    assert both.status_code == 200 and both.json()["skills"] == ["prison_security"]


def test_a_retired_skill_is_refused_as_new_input_but_stays_where_it_is(client, session, world):
    need = client.post("/api/v1/needs", json=need_body(["customs"]), headers=world["requester"]).json()
    session.get(Skill, "customs").retired_at = datetime.now(UTC)
    session.commit()
    refused = client.post("/api/v1/needs", json=need_body(["customs"]), headers=world["requester"])
    assert refused.status_code == 422 and "retired" in refused.json()["error"]["message"]
    kept = client.patch(f"/api/v1/needs/{need['id']}", json={"skills": ["customs", "border_policing"]},
                        headers=world["requester"])
    assert kept.status_code == 200 and kept.json()["skills"] == ["customs", "border_policing"]
    assert "customs" not in [s["code"] for s in client.get("/api/v1/skills", params={"area": "border_management"})
                             .json()["items"]]
