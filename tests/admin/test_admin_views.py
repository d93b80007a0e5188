"""The administrator's pages, read as a person would; everyone else is refused."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from capmatch.auth.models import User
from capmatch.organizations.models import Membership, Organization
from capmatch.taxonomy.models import Area
from tests.factories import TEST_PASSWORD, make_organization, make_user
from tests.web.html import csrf_of, parse

PAGES = ("/admin", "/admin/organizations", "/admin/organizations/new", "/admin/users", "/admin/users/new",
         "/admin/taxonomies", "/admin/taxonomies/countries", "/admin/taxonomies/languages",
         "/admin/taxonomies/areas/police/edit")


def token(client) -> str:
    return csrf_of(parse(client.get("/admin").text))


@pytest.fixture
def admin(session):
    return make_user(session, role="admin", full_name="Ada Admin")


@pytest.mark.parametrize("role", ["officer", "provider", "requester"])
def test_the_admin_pages_refuse_everyone_but_an_administrator(client, login, session, role):
    login(make_user(session, role=role))
    for path in PAGES:
        assert client.get(path).status_code == 403, path
    response = client.post("/admin/users/new", data={
        "csrf_token": csrf_of(parse(client.get("/needs").text)), "email": "x@example.org", "full_name": "X",
        "role": "admin", "password": TEST_PASSWORD})
    assert response.status_code == 403
    assert session.scalar(sa.select(User.id).where(User.email == "x@example.org")) is None


def test_every_admin_page_opens_for_an_administrator(client, login, admin):
    login(admin)
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert parse(response.text).find("h1") is not None, path


def test_an_administrator_registers_an_organization_with_member_countries(client, login, session, admin):
    login(admin)
    response = client.post("/admin/organizations/new", data={
        "csrf_token": token(client), "name": "Economic Community of West African States", "acronym": "ECOWAS",
        "kind": "regional_organization", "country": "", "agreement_form": "", "may_provide": "1",
        "members": "SEN, gha; NGA", "description": "",
    }, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/admin/organizations")
    org = session.scalars(sa.select(Organization).where(Organization.acronym == "ECOWAS")).one()
    assert org.agreement_form == "memorandum_of_understanding" and org.may_provide and not org.may_request
    members = session.scalars(sa.select(Membership.country_iso3).where(Membership.organization_id == org.id)).all()
    assert sorted(members) == ["GHA", "NGA", "SEN"]
    listing = parse(client.get("/admin/organizations?q=ecowas").text)
    assert "Economic Community of West African States" in listing.find("tbody").text


def test_an_invalid_organization_comes_back_with_inline_errors(client, login, session, admin):
    login(admin)
    response = client.post("/admin/organizations/new", data={
        "csrf_token": token(client), "name": "Ministry of Justice", "kind": "host_government_ministry",
        "country": "", "may_request": "1", "members": "SEN, QQQ",
    })
    assert response.status_code == 400
    doc = parse(response.text)
    assert doc.find("div", class_="error-summary") is not None
    assert doc.find("textarea", name="members").text == "SEN, QQQ"
    assert session.scalar(sa.select(Organization.id).where(Organization.name == "Ministry of Justice")) is None


def test_an_administrator_edits_an_organizations_roles_and_members(client, login, session, admin):
    org = make_organization(session, name="African Union", kind="regional_organization", country_iso3=None)
    login(admin)
    doc = parse(client.get(f"/admin/organizations/{org.id}/edit").text)
    assert doc.find("input", name="name").get("value") == "African Union"
    response = client.post(f"/admin/organizations/{org.id}/edit", data={
        "csrf_token": token(client), "name": "African Union", "acronym": "AU", "kind": "regional_organization",
        "country": "", "agreement_form": "memorandum_of_understanding", "may_request": "1", "may_provide": "1",
        "members": "KEN, ETH", "description": "Pan-African body",
    }, follow_redirects=False)
    assert response.status_code == 303
    session.refresh(org)
    assert (org.acronym, org.may_request, org.description) == ("AU", True, "Pan-African body")
    assert sorted(session.scalars(sa.select(Membership.country_iso3).where(Membership.organization_id == org.id))) \
        == ["ETH", "KEN"]


def test_an_administrator_adds_a_user_who_can_then_sign_in(client, login, session, admin):
    org = make_organization(session, name="Brazilian Cooperation Agency", country_iso3="BRA")
    login(admin)
    form = parse(client.get("/admin/users/new").text)
    assert form.find("option", value=str(org.id)) is not None
    for name in ("email", "full_name", "role", "organization_id", "password"):
        control = form.find(name=name)
        assert form.find("label", for_=control.get("id")) is not None, name
    response = client.post("/admin/users/new", data={
        "csrf_token": token(client), "email": "lucia@abc.gov.br", "full_name": "Lúcia Souza", "role": "provider",
        "organization_id": str(org.id), "password": TEST_PASSWORD,
    }, follow_redirects=False)
    assert response.status_code == 303
    user = session.scalars(sa.select(User).where(User.email == "lucia@abc.gov.br")).one()
    assert (user.role, user.organization_id) == ("provider", org.id)
    client.post("/logout", data={"csrf_token": token(client)})
    login(user)
    assert client.get("/roster", follow_redirects=False).status_code != 401


def test_a_user_without_an_organization_is_refused_inline(client, login, admin):
    login(admin)
    response = client.post("/admin/users/new", data={"csrf_token": token(client), "email": "p@example.org",
                                                     "full_name": "P", "role": "provider", "organization_id": "",
                                                     "password": TEST_PASSWORD})
    assert response.status_code == 400
    error = parse(response.text).by_id("f-organization_id-error").text
    assert "Choose the organization: a provider belongs to one." in error


def test_a_deactivated_user_is_signed_out_and_listed_as_deactivated(client, login, session, admin):
    provider = make_user(session, role="provider")
    login(admin)
    response = client.post(f"/admin/users/{provider.id}/deactivate", data={"csrf_token": token(client)},
                           follow_redirects=False)
    assert response.status_code == 303
    session.refresh(provider)
    assert provider.is_active is False
    doc = parse(client.get(f"/admin/users?q={provider.email}").text)
    row = doc.find("tbody").find("tr")
    assert "deactivated" in row.text and row.find("button").text == "Reactivate"
    # No button to deactivate oneself.
    own = parse(client.get(f"/admin/users?q={admin.email}").text).find("tbody").find("tr")
    assert own.find("button") is None


def test_the_taxonomy_page_counts_and_an_area_is_renamed(client, login, session, admin):
    login(admin)
    doc = parse(client.get("/admin/taxonomies").text)
    assert doc.find("h2", id="cluster-justice") is not None
    assert doc.find("a", href="/admin/taxonomies/areas/corrections/edit") is not None
    response = client.post("/admin/taxonomies/areas/corrections/edit", data={
        "csrf_token": token(client), "name": "Corrections and prisons", "name_fr": "Administration pénitentiaire",
    }, follow_redirects=False)
    assert response.status_code == 303
    assert session.get(Area, "corrections").name == "Corrections and prisons"
    clash = client.post("/admin/taxonomies/areas/police/edit", data={
        "csrf_token": token(client), "name": "Corrections and prisons", "name_fr": "Police"})
    assert clash.status_code == 400 and "already has the name" in parse(clash.text).by_id("f-name-error").text
    countries = parse(client.get("/admin/taxonomies/countries?q=KEN").text)
    assert "Kenya" in countries.find("tbody").text
