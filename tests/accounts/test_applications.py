"""Joining the marketplace: the public form, nothing public before acceptance, the secretariat's decision."""

from __future__ import annotations

import sqlalchemy as sa

from capmatch.applications.models import Application
from capmatch.audit.models import AuditEvent
from capmatch.organizations.models import Organization
from tests.accounts.conftest import link_in
from tests.factories import make_user
from tests.web.html import csrf_of, parse

STATEMENT = "Twelve corrections officers fluent in French, ready from March"
FORM = {"name": "Sahel Corrections Academy", "acronym": "SCA", "kind": "ngo", "country": "SEN",
        "agreement_form": "", "members": "", "may_provide": "1", "focal_name": "Awa Diallo",
        "focal_email": "awa@sca.example", "statement": STATEMENT}


def apply(client, **changes):
    page = client.get("/join")
    assert page.status_code == 200
    return client.post("/join", data={"csrf_token": csrf_of(parse(page.text)), **FORM, **changes},
                       follow_redirects=False)


def test_an_application_stays_private_until_the_secretariat_accepts_it(app, client, session, login, mailbox):
    from fastapi.testclient import TestClient

    assert apply(client).status_code == 303
    assert "is with the secretariat" in client.get("/join").text  # the applicant's own confirmation
    session.commit()
    with TestClient(app) as visitor:
        for path in ("/api/v1/organizations?q=Sahel", "/needs?q=Sahel", "/offers?q=corrections", "/"):
            assert "Sahel Corrections" not in visitor.get(path).text
    assert mailbox()[0][0] == "awa@sca.example"  # the acknowledgement
    admin = make_user(session, role="admin")
    login(admin)
    queue = client.get("/admin/applications")
    assert "Sahel Corrections Academy" in queue.text
    application = session.scalar(sa.select(Application))
    page = client.get(f"/admin/applications/{application.id}")
    assert STATEMENT in page.text
    accepted = client.post(f"/admin/applications/{application.id}/accept",
                           data={"csrf_token": csrf_of(parse(page.text)), "role": "provider"}, follow_redirects=False)
    assert accepted.status_code == 303
    organization = session.scalar(sa.select(Organization).where(Organization.name == "Sahel Corrections Academy"))
    assert organization.may_provide and organization.country_iso3 == "SEN"
    assert client.get("/api/v1/organizations?q=Sahel").json()["total"] == 1
    invitation = mailbox()[-1]
    assert invitation[0] == "awa@sca.example" and "list your organization's experts" in invitation[2]
    assert "As your organization's focal point" in invitation[2]
    assert link_in(invitation[2]).startswith("/invitations/")
    again = client.post(f"/admin/applications/{application.id}/decline",
                        data={"csrf_token": csrf_of(parse(page.text)), "reason": "Changed my mind"})
    assert again.status_code == 400 and "accepted already" in again.text
    actions = session.scalars(sa.select(AuditEvent.action).where(AuditEvent.entity_type == "application")
                              .order_by(AuditEvent.id)).all()
    assert actions == ["create", "accept"]


def test_a_declined_applicant_reads_the_reason_and_no_organization_is_made(client, session, login, mailbox):
    apply(client)
    admin = make_user(session, role="admin")
    login(admin)
    application = session.scalar(sa.select(Application))
    page = client.get(f"/admin/applications/{application.id}")
    token = csrf_of(parse(page.text))
    blank = client.post(f"/admin/applications/{application.id}/decline", data={"csrf_token": token, "reason": " "})
    assert blank.status_code == 400 and "Give the reason" in blank.text
    done = client.post(f"/admin/applications/{application.id}/decline",
                       data={"csrf_token": token, "reason": "Please apply through your ministry."},
                       follow_redirects=False)
    assert done.status_code == 303
    to, subject, text = mailbox()[-1]
    assert to == "awa@sca.example" and "Please apply through your ministry." in text
    assert session.scalar(sa.select(sa.func.count()).select_from(Organization)
                          .where(Organization.name == FORM["name"])) == 0
    assert session.scalar(sa.select(AuditEvent.reason).where(AuditEvent.action == "decline")) == \
        "Please apply through your ministry."


def test_the_join_form_names_each_bad_field_and_writes_nothing(client, session):
    response = apply(client, name="", focal_email="not-an-address", statement="short", may_provide="")
    assert response.status_code == 400
    page = parse(response.text)
    for field in ("name", "statement"):
        assert page.by_id(f"f-{field}-error") is not None, field
    government = apply(client, kind="member_state_agency", country="")
    assert government.status_code == 400 and "needs its country" in government.text
    assert session.scalar(sa.select(sa.func.count()).select_from(Application)) == 0
