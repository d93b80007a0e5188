"""The account forms (joining, invitations, passwords, the e-mail address, tokens, the profile) report
every problem of a submission in one answer, each naming its field, and write nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from capmatch.accounts.links import new_link
from capmatch.accounts.models import AccountLink, Invitation
from capmatch.applications.models import Application
from capmatch.audit.models import AuditEvent
from capmatch.auth.models import ApiToken, User
from capmatch.organizations.models import Organization
from tests.factories import make_organization, make_user
from tests.web.conftest import form_token
from tests.web.test_form_errors_at_once import shown_at_once


def post(client, path, data, *, token_from="/password/forgot"):
    return client.post(path, data={"csrf_token": form_token(client, token_from), **data}, follow_redirects=False)


def count(session, model, *where) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_the_join_form_reports_the_schemas_and_the_services_problems_at_once(client, session):
    make_organization(session, name="Sahel Corrections Academy")
    response = post(client, "/join", {
        "name": "Sahel Corrections Academy", "kind": "member_state_agency", "country": "", "members": "XYZ, KEN",
        "focal_name": "", "focal_email": "not an address", "statement": "Soon",
    }, token_from="/join")
    assert response.status_code == 400
    shown_at_once(response, {
        "f-name": "An organization named Sahel Corrections Academy is already on CapMatch.",
        "f-country": "Choose the country: a government body needs its country.",
        "f-members": "Check the member countries: 'XYZ' is not a country's three-letter code (such as KEN).",
        "f-may_request": "Tick whether the organization requests or provides expertise (or both).",
        "f-focal_name": "Enter the focal point's name.",
        "f-focal_email": "Enter an e-mail address such as name@example.org.",
        "f-statement": "Make the statement of what it can offer or needs at least 10 characters long.",
    })
    assert count(session, Application) == 0


@pytest.fixture
def agency(session):
    return make_organization(session, country_iso3="KEN", may_request=False, may_provide=True)


def test_the_people_page_reports_a_bad_address_with_a_role_the_organization_has_not(client, session, login,
                                                                                      agency):
    login(make_user(session, role="provider", organization_id=agency.id, is_focal_point=True))
    page = f"/organizations/{agency.id}/people"
    response = post(client, f"/organizations/{agency.id}/invitations",
                    {"email": "nia at agency", "full_name": "", "role": "requester"}, token_from=page)
    assert response.status_code == 400
    shown_at_once(response, {
        "f-email": "Enter an e-mail address such as name@example.org.",
        "f-role": f"Choose another role: {agency.name} does not request expertise, so it has no requesters.",
    })
    assert count(session, Invitation) == 0


def test_the_secretariats_invitations_report_a_bad_role_with_an_address_in_use(client, session, login):
    login(make_user(session, role="admin", email="ada@capmatch.example"))
    response = post(client, "/admin/invitations", {"email": "Ada@CapMatch.example", "role": "provider"},
                    token_from="/admin/invitations")
    assert response.status_code == 400
    shown_at_once(response, {
        "f-email": "ada@capmatch.example already has an account.",
        "f-role": "Choose officer or administrator: organizations invite their own people.",
    })
    assert count(session, Invitation) == 0


def _invitation_link(session, *, full_name: str = "") -> str:
    admin = make_user(session, role="admin")
    link = new_link("invitation")
    session.add(Invitation(email="nia@mission.example", full_name=full_name, role="officer",
                           invited_by_id=admin.id, token_digest=link.digest,
                           expires_at=datetime.now(UTC) + timedelta(days=3)))
    session.flush()
    return f"/invitations/{link.token}"


def test_the_invitation_page_reports_a_missing_name_a_weak_password_and_a_mismatch_at_once(client, session):
    path = _invitation_link(session)
    response = post(client, path, {"full_name": "", "password": "short", "password_again": "other"})
    assert response.status_code == 400
    shown_at_once(response, {
        "f-full_name": "Enter your name.",
        "f-password": "Choose a password of at least 10 characters.",
        "f-password_again": "Type the same password in both boxes.",
    })
    assert count(session, User, User.email == "nia@mission.example") == 0
    assert client.get(path).status_code == 200  # the link still works


def test_the_reset_page_reports_a_weak_password_and_a_mismatch_at_once(client, session):
    user = make_user(session, role="officer")
    link = new_link("password_reset")
    session.add(AccountLink(purpose="password_reset", user_id=user.id, token_digest=link.digest,
                            expires_at=datetime.now(UTC) + timedelta(minutes=30)))
    session.flush()
    hashed = user.password_hash
    response = post(client, f"/password/reset/{link.token}", {"password": "Password2024!", "password_again": ""})
    assert response.status_code == 400
    shown_at_once(response, {
        "f-password": "This password is one of the most common ones, which are tried first: choose another.",
        "f-password_again": "Type the same password in both boxes.",
    })
    session.refresh(user)
    assert user.password_hash == hashed


def test_the_password_page_reports_a_wrong_current_password_with_the_new_ones_problems(client, session, login):
    user = make_user(session, role="officer")
    login(user)
    response = post(client, "/account/password", {
        "current_password": "not-my-password", "password": "aaaaaaaaaaaa", "password_again": "bbbbbbbbbbbb",
    }, token_from="/account/password")
    assert response.status_code == 400
    shown_at_once(response, {
        "f-current_password": "This is not your current password.",
        "f-password": "This password is too easy to guess (a repeated character or a run of keys): choose another.",
        "f-password_again": "Type the same password in both boxes.",
    })
    assert count(session, AuditEvent, AuditEvent.action == "password_change") == 0


def test_the_address_page_reports_a_missing_password_with_an_address_in_use(client, session, login):
    make_user(session, role="provider", email="taken@agency.example")
    login(make_user(session, role="officer"))
    response = post(client, "/account/email", {"new_email": "taken@agency.example", "current_password": ""},
                    token_from="/account/email")
    assert response.status_code == 400
    shown_at_once(response, {
        "f-new_email": "taken@agency.example is already used by another account.",
        "f-current_password": "Type your current password.",
    })
    assert count(session, AccountLink, AccountLink.purpose == "email_change") == 0
    response = post(client, "/account/email", {"new_email": "nobody", "current_password": "wrong-password"},
                    token_from="/account/email")
    shown_at_once(response, {
        "f-new_email": "Enter an e-mail address such as name@example.org.",
        "f-current_password": "This is not your current password.",
    })


def test_the_token_form_reports_a_name_in_use_with_a_bad_lifetime(client, session, login):
    user = make_user(session, role="provider")
    login(user)
    assert post(client, "/account/tokens", {"name": "laptop", "expires_in_days": "90"},
                token_from="/account/tokens").status_code == 200
    response = post(client, "/account/tokens", {"name": "laptop", "expires_in_days": "7"},
                    token_from="/account/tokens")
    assert response.status_code == 400
    shown_at_once(response, {
        "f-name": "You already have a token called laptop: choose another name.",
        "f-expires_in_days": "Choose how long the token works.",
    })
    assert count(session, ApiToken, ApiToken.user_id == user.id) == 1


def test_the_profile_form_reports_every_field_at_once(client, session, login):
    user = make_user(session, role="provider", full_name="Awa Diallo")
    login(user)
    response = post(client, "/account", {"full_name": "A", "language": "de", "email_kinds": "spam"},
                    token_from="/account")
    assert response.status_code == 400
    shown_at_once(response, {
        "f-full_name": "Make the name at least 2 characters long.",
        "f-language": "Choose English or French.",
        "f-email_kinds": "Choose among the kinds of event listed.",
    })
    session.refresh(user)
    assert (user.full_name, user.language) == ("Awa Diallo", None)


def test_the_people_api_lists_a_bad_address_with_a_role_the_organization_has_not(client, session, agency, bearer):
    focal = make_user(session, role="provider", organization_id=agency.id, is_focal_point=True)
    headers = bearer(focal)
    session.commit()
    response = client.post(f"/api/v1/organizations/{agency.id}/invitations",
                           json={"email": "nia at agency", "role": "requester"}, headers=headers)
    assert response.status_code == 422
    assert {f["field"] for f in response.json()["error"]["fields"]} == {"email", "role"}
    assert count(session, Invitation) == 0
    assert count(session, Organization, Organization.id == agency.id) == 1
