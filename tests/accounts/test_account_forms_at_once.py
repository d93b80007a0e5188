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


def _invitation_link(session, *, full_name: str = "") -> str:
    admin = make_user(session, role="admin")
    link = new_link("invitation")
    session.add(Invitation(email="nia@mission.example", full_name=full_name, role="officer",
                           invited_by_id=admin.id, token_digest=link.digest,
                           expires_at=datetime.now(UTC) + timedelta(days=3)))
    session.flush()
    return f"/invitations/{link.token}"
