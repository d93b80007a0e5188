"""Lists name an organization by its acronym, its full name on hover (an <abbr>); the pages of one need,
offer or proposal name it in full, the acronym in brackets. The acronym is set on the organization's
form and through the API, and must be one short word."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import make_need, make_offer, make_organization, make_user, put_proposal
from tests.api.support import error_fields
from tests.web.html import csrf_of, parse

MISSION = "United Nations Organization Stabilization Mission in the Democratic Republic of the Congo"


@pytest.fixture
def mission(session):
    return make_organization(session, name=MISSION, acronym="MONUSCO", kind="un_entity", country_iso3="COD",
                             may_request=True, may_provide=False)


@pytest.fixture
def agency(session):
    return make_organization(session, name="Kenya Prisons Service", acronym="KPS", may_provide=True)


def abbr_in(element, name: str):
    found = element.find("abbr", title=name)
    assert found is not None, element.text
    return found.text


def test_the_needs_and_offers_lists_show_acronyms_with_the_full_name_on_hover(client, session, mission, agency):
    make_need(session, requester_org_id=mission.id, title="Juvenile justice adviser, Kinshasa")
    make_offer(session, provider_org_id=agency.id, title="Senior prison officer", available_from=date.today())
    needs = parse(client.get("/needs").text)
    assert abbr_in(needs.find("td", data_label="Requested by"), MISSION) == "MONUSCO"
    offers = parse(client.get("/offers").text)
    assert abbr_in(offers.find("td", data_label="Provider"), "Kenya Prisons Service") == "KPS"


def test_an_organization_without_an_acronym_is_named_in_full_in_a_list(client, session):
    ngo = make_organization(session, name="Viva Rio", acronym=None, kind="ngo", country_iso3="BRA",
                            may_request=True)
    make_need(session, requester_org_id=ngo.id, title="Community violence reduction adviser")
    cell = parse(client.get("/needs").text).find("td", data_label="Requested by")
    assert cell.text == "Viva Rio" and cell.find("abbr") is None


def test_the_page_of_a_need_and_of_an_offer_name_the_organization_in_full(client, session, mission, agency):
    need = make_need(session, requester_org_id=mission.id)
    offer = make_offer(session, provider_org_id=agency.id, available_from=date.today())
    lede = parse(client.get(f"/needs/{need.id}").text).find("p", class_="lede")
    assert f"{MISSION} (MONUSCO)" in lede.text and lede.find("abbr") is None
    assert "Kenya Prisons Service (KPS)" in parse(client.get(f"/offers/{offer.id}").text).find("p", class_="lede").text


def test_the_inboxes_and_the_officers_list_show_acronyms(client, login, session, mission, agency):
    need = make_need(session, requester_org_id=mission.id)
    offer = make_offer(session, provider_org_id=agency.id, available_from=date.today())
    proposal = put_proposal(session, need, offer, "approved")
    login(make_user(session, role="provider", organization_id=agency.id))
    card = parse(client.get("/provider/proposals").text).by_id(f"proposal-{proposal.id}")
    assert abbr_in(card, MISSION) == "MONUSCO"
    login(make_user(session, role="requester", organization_id=mission.id))
    card = parse(client.get("/my/proposals").text).by_id(f"proposal-{proposal.id}")
    assert abbr_in(card, "Kenya Prisons Service") == "KPS"
    login(make_user(session, role="officer"))
    row = parse(client.get("/officer/proposals").text).by_id(f"proposal-{proposal.id}")
    assert abbr_in(row.find("td", data_label="Need"), MISSION) == "MONUSCO"
    assert abbr_in(row.find("td", data_label="Offer"), "Kenya Prisons Service") == "KPS"
    detail = parse(client.get(f"/proposals/{proposal.id}").text)
    assert f"{MISSION} (MONUSCO)" in detail.text


def test_the_administrators_users_list_shows_acronyms(client, login, session, agency):
    make_user(session, role="provider", organization_id=agency.id, email="focal@kps.example")
    login(make_user(session, role="admin"))
    doc = parse(client.get("/admin/users?q=focal@kps").text)
    assert abbr_in(doc.find("td", data_label="Organization"), "Kenya Prisons Service") == "KPS"


@pytest.mark.parametrize("acronym, message", [
    ("UN MISS", "The acronym must be 2 to 30 letters, digits or hyphens, without spaces (MONUSCO, APC-Colombia)."),
    ("U", "The acronym must be 2 to 30 letters, digits or hyphens, without spaces (MONUSCO, APC-Colombia)."),
    ("UN.MISS", "The acronym must be 2 to 30 letters, digits or hyphens, without spaces (MONUSCO, APC-Colombia)."),
])
def test_the_organization_form_refuses_an_acronym_that_is_not_one_short_word(client, login, session, agency,
                                                                              acronym, message):
    login(make_user(session, role="admin"))
    path = f"/admin/organizations/{agency.id}/edit"
    response = client.post(path, data={
        "csrf_token": csrf_of(parse(client.get(path).text)), "name": agency.name, "acronym": acronym,
        "kind": "member_state_agency", "country": "KEN", "may_provide": "1"})
    assert response.status_code == 400
    assert parse(response.text).by_id("f-acronym-error").text == f"Error: {message}"
    session.refresh(agency)
    assert agency.acronym == "KPS"


def test_the_organization_form_sets_changes_and_clears_the_acronym(client, login, session, agency):
    login(make_user(session, role="admin"))
    path = f"/admin/organizations/{agency.id}/edit"
    form = {"name": agency.name, "kind": "member_state_agency", "country": "KEN", "may_provide": "1"}
    for given, kept in (("Camões-2", "Camões-2"), ("", None)):
        response = client.post(path, data={**form, "acronym": given, "csrf_token": csrf_of(parse(client.get(path).text))},
                               follow_redirects=False)
        assert response.status_code == 303, response.text
        session.refresh(agency)
        assert agency.acronym == kept


def test_the_api_refuses_an_acronym_with_a_space_naming_the_field(client, bearer, session, agency):
    headers = bearer(make_user(session, role="admin"))
    session.commit()  # the refused request rolls back; the token must outlive it
    response = client.patch(f"/api/v1/organizations/{agency.id}", json={"acronym": "K P S"}, headers=headers)
    assert response.status_code == 422
    assert error_fields(response) == ["acronym"]
    response = client.patch(f"/api/v1/organizations/{agency.id}", json={"acronym": "KPS-KE"}, headers=headers)
    assert response.status_code == 200 and response.json()["acronym"] == "KPS-KE"
