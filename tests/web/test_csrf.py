"""Every unsafe request that rides on the session cookie must carry the session's CSRF token."""

from __future__ import annotations

import sqlalchemy as sa

from capmatch.needs.models import Need
from tests.factories import make_user
from tests.web.conftest import form_token
from tests.web.html import parse
from tests.web.test_requester_pages import need_form


NEED_BODY = {"duty_country": "SSD", "title": "Court administration adviser", "area": "judicial_reform",
             "start_by": "2099-01-01", "duration_months": 6, "modality": "deployed_expert",
             "funding": "requester_paid"}


def count_needs(session):
    return session.scalar(sa.select(sa.func.count()).select_from(Need))


def test_a_form_post_without_the_token_is_refused_and_writes_nothing(login, client, session):
    login(make_user(session, role="requester"))
    before = count_needs(session)
    response = client.post("/my/needs/new", data=need_form(action="publish"), follow_redirects=False)
    assert response.status_code == 403
    assert "expired or did not come from CapMatch" in parse(response.text).text
    assert count_needs(session) == before


def test_a_wrong_token_is_refused_too(login, client, session):
    login(make_user(session, role="requester"))
    response = client.post("/my/needs/new", data=need_form(action="publish", csrf_token="forged"))
    assert response.status_code == 403
    assert count_needs(session) == 0


def test_a_token_from_another_session_is_refused(client, session, app):
    from fastapi.testclient import TestClient

    with TestClient(app) as other:
        foreign = form_token(other, "/login")
    user = make_user(session, role="requester")
    session.commit()
    form_token(client, "/login")  # this client's own session and token
    response = client.post("/login", data={"email": user.email, "password": "x", "csrf_token": foreign})
    assert response.status_code == 403


def test_the_login_form_itself_needs_the_token(client, session):
    user = make_user(session, role="requester")
    session.commit()
    response = client.post("/login", data={"email": user.email, "password": "correct-horse-battery"},
                           follow_redirects=False)
    assert response.status_code == 403
    assert "set-cookie" not in response.headers or "uid" not in response.headers["set-cookie"]


def test_a_header_token_works_for_scripts(login, client, session):
    login(make_user(session, role="requester"))
    token = form_token(client, "/my/needs")
    response = client.post("/notifications/read", headers={"X-CSRF-Token": token}, follow_redirects=False)
    assert response.status_code == 303


def test_signing_in_gives_a_new_token(client, session, login):
    before = form_token(client, "/login")
    login(make_user(session, role="requester"))
    assert form_token(client, "/my/needs") != before


def test_an_api_call_with_a_bearer_token_needs_no_csrf_token(client, session, bearer):
    user = make_user(session, role="requester")
    headers = bearer(user)
    session.commit()
    body = NEED_BODY
    response = client.post("/api/v1/needs", json=body, headers=headers)
    assert response.status_code == 201, response.text


def test_an_api_call_riding_on_the_session_cookie_needs_the_token(login, client, session):
    login(make_user(session, role="requester"))
    body = NEED_BODY
    refused = client.post("/api/v1/needs", json=body)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf_failed"
    assert count_needs(session) == 0
    token = form_token(client, "/my/needs")
    assert client.post("/api/v1/needs", json=body, headers={"X-CSRF-Token": token}).status_code == 201


def test_an_anonymous_api_call_still_gets_the_apis_own_401(client):
    response = client.post("/api/v1/needs", json=NEED_BODY)
    assert response.status_code == 401
