"""The administrator's forms (organizations, users, taxonomies) report every problem of a submission in
one answer, each naming its field, and write nothing."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from capmatch.auth.models import User
from capmatch.organizations.models import Organization
from capmatch.taxonomy.models import Area, Skill
from tests.factories import make_organization, make_user
from tests.web.conftest import form_token
from tests.web.test_form_errors_at_once import shown_at_once


@pytest.fixture
def admin(client, session, login):
    return login(make_user(session, role="admin"))


def post(client, path, data):
    return client.post(path, data={"csrf_token": form_token(client, path), **data}, follow_redirects=False)


def count(session, model, *where) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_registering_an_organization_reports_the_schemas_and_the_services_problems_at_once(admin, session):
    make_organization(session, name="Kenya Prisons Service")
    before = count(session, Organization)
    response = post(admin, "/admin/organizations/new", {
        "name": "Kenya Prisons Service", "kind": "intergovernmental_organization", "country": "KEN",
        "agreement_form": "handshake", "members": "XYZ, QQQ, UGA",
    })
    assert response.status_code == 400
    shown_at_once(response, {
        "f-name": "An organization named Kenya Prisons Service is already on CapMatch.",
        "f-country": "An intergovernmental organization has no home country: leave the country blank.",
        "f-agreement_form": "Choose the agreement form from the list.",
        "f-may_request": "Tick whether the organization requests or provides expertise (or both).",
        "f-members": "Check the member countries: 'XYZ', 'QQQ' are not countries' three-letter codes (such as KEN).",
    })
    assert count(session, Organization) == before


def test_editing_an_organization_reports_a_short_name_with_a_missing_country(admin, session):
    org = make_organization(session, name="Agence Sénégalaise", kind="member_state_agency", country_iso3="SEN")
    response = post(admin, f"/admin/organizations/{org.id}/edit", {
        "name": "A", "kind": "member_state_agency", "country": "", "may_provide": "1", "members": "12",
    })
    assert response.status_code == 400
    shown_at_once(response, {
        "f-name": "Make the name at least 2 characters long.",
        "f-country": "Choose the country: a government body needs its country.",
        "f-members": "Check the member countries: '12' is not a country's three-letter code (such as KEN).",
    })
    session.refresh(org)
    assert (org.name, org.country_iso3) == ("Agence Sénégalaise", "SEN")


def test_the_organization_api_lists_every_service_problem_together(client, session, bearer):
    headers = bearer(make_user(session, role="admin"))
    session.commit()
    response = client.post("/api/v1/organizations", headers=headers, json={
        "name": "Pan-African Mediators", "kind": "intergovernmental_organization", "country": "KEN",
        "may_request": False, "may_provide": False, "members": ["XYZ", "UGA", "QQQ"],
    })
    assert response.status_code == 422
    assert {f["field"] for f in response.json()["error"]["fields"]} == {"country", "may_request", "members[0]",
                                                                        "members[2]"}
    assert count(session, Organization, Organization.name == "Pan-African Mediators") == 0


def test_adding_a_user_reports_every_field_at_once(admin, session):
    response = post(admin, "/admin/users/new", {"email": "nobody", "full_name": "", "role": "provider",
                                                "organization_id": "", "password": "short"})
    assert response.status_code == 400
    shown_at_once(response, {
        "f-email": "Enter a valid e-mail address.",
        "f-full_name": "Enter the person's name.",
        "f-organization_id": "Choose the organization: a provider belongs to one.",
        "f-password": "Choose a password of at least 10 characters.",
    })
    assert count(session, User, User.email == "nobody") == 0


def test_adding_an_officer_reports_an_address_in_use_with_an_organization(admin, session):
    org = make_organization(session)
    make_user(session, role="provider", email="taken@agency.example")
    response = post(admin, "/admin/users/new", {"email": "taken@agency.example", "full_name": "Tom",
                                                "role": "officer", "organization_id": str(org.id),
                                                "password": "zzzzzzzzzzzz"})
    shown_at_once(response, {
        "f-email": "A user with the e-mail taken@agency.example already exists.",
        "f-organization_id": "Officers and administrators belong to the secretariat: choose no organization.",
        "f-password": "This password is too easy to guess (a repeated character or a run of keys): choose another.",
    })
    assert count(session, User, User.role == "officer") == 0


def test_renaming_an_area_reports_both_names_at_once(admin, session):
    response = post(admin, "/admin/taxonomies/areas/police/edit", {"name": "P", "name_fr": ""})
    assert response.status_code == 400
    shown_at_once(response, {
        "f-name": "Enter the name in English: at least 2 characters.",
        "f-name_fr": "Enter the name in French: at least 2 characters.",
    })
    session.expire_all()
    assert session.get(Area, "police").name != "P"


def test_adding_a_skill_reports_a_code_in_use_a_name_too_long_and_no_area_at_once(admin, session):
    existing = session.scalars(sa.select(Skill.code)).first()
    response = post(admin, "/admin/taxonomies/skills/new", {"code": existing, "name": "x" * 121, "name_fr": ""})
    assert response.status_code == 400
    shown_at_once(response, {
        "f-code": f"A skill already has the code {existing}: choose another code.",
        "f-name": "Shorten the name in English to 120 characters at most.",
        "f-areas": "Choose at least one capacity area.",
    })
    assert count(session, Skill, Skill.name == "x" * 121) == 0
