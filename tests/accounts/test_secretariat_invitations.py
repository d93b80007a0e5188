"""The administrator invites the secretariat's own officers and administrators, and sees every open invitation."""

from __future__ import annotations

import sqlalchemy as sa

from capmatch.audit.models import AuditEvent
from capmatch.auth.models import User
from tests.accounts.conftest import link_in
from tests.accounts.test_invitations import accept
from tests.factories import make_organization, make_user
from tests.web.html import csrf_of, parse


def test_the_administrator_invites_an_officer_who_lands_signed_in(client, session, login, mailbox):
    login(make_user(session, role="admin"))
    page = client.get("/admin/invitations")
    assert page.status_code == 200
    response = client.post("/admin/invitations", data={
        "csrf_token": csrf_of(parse(page.text)), "email": "Ode@Secretariat.example", "full_name": "Ode",
        "role": "officer"}, follow_redirects=False)
    assert response.status_code == 303, response.text
    listed = parse(client.get("/admin/invitations").text).find("table", class_="results").text
    assert "ode@secretariat.example" in listed and "Secretariat" in listed
    [(to, _, text)] = mailbox()
    assert to == "ode@secretariat.example"
    client.post("/logout", data={"csrf_token": csrf_of(parse(client.get("/").text))})
    landed = accept(client, link_in(text), name="Ode Okafor")
    assert landed.status_code == 303 and landed.headers["location"] == "/officer"
    user = session.scalar(sa.select(User).where(User.email == "ode@secretariat.example"))
    assert (user.role, user.organization_id, user.full_name) == ("officer", None, "Ode Okafor")
    assert session.scalar(sa.select(AuditEvent.action).where(
        AuditEvent.entity_type == "invitation", AuditEvent.action == "create")) == "create"


def test_the_secretariat_page_invites_only_officers_and_administrators(client, session, login, mailbox):
    login(make_user(session, role="admin"))
    token = csrf_of(parse(client.get("/admin/invitations").text))
    refused = client.post("/admin/invitations", data={"csrf_token": token, "email": "p@agency.example",
                                                      "full_name": "", "role": "provider"})
    assert refused.status_code == 400
    assert "Choose officer or administrator" in parse(refused.text).by_id("f-role-error").text
    bad = client.post("/admin/invitations", data={"csrf_token": token, "email": "not an address", "role": "officer"})
    assert bad.status_code == 400 and parse(bad.text).by_id("f-email-error") is not None
    assert mailbox() == []


def test_every_open_invitation_is_listed_and_can_be_revoked_there(client, session, login, mailbox):
    from capmatch.accounts import invitations
    from tests.accounts.test_invitations import actor_of

    agency = make_organization(session, country_iso3="KEN")
    admin = make_user(session, role="admin")
    made = invitations.invite(session, actor=actor_of(admin), email="kofi@agency.example", full_name="Kofi",
                              role="provider", organization_id=agency.id)
    login(admin)
    page = client.get("/admin/invitations")
    assert "kofi@agency.example" in page.text and agency.name in page.text
    done = client.post(f"/admin/invitations/{made.id}/revoke", data={"csrf_token": csrf_of(parse(page.text))})
    assert done.status_code == 200 and "revoked" in done.text
    assert "kofi@agency.example" not in parse(done.text).find("main").text.split("Invite an officer")[0]


def test_only_the_administrator_sees_the_invitations_page(client, session, login):
    for role in ("officer", "requester", "provider"):
        login(make_user(session, role=role))
        assert client.get("/admin/invitations").status_code == 403
