"""Signing in through the web form (the throttle: test_login_throttle.py; signing out: test_sessions_end.py)."""

from __future__ import annotations

import sqlalchemy as sa

from capmatch.auth.models import LoginAttempt
from capmatch.web.session import SESSION_COOKIE
from tests.factories import TEST_PASSWORD, make_user
from tests.web.conftest import form_token
from tests.web.html import parse


def post_login(client, email, password, token=None):
    token = token or form_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token},
                       follow_redirects=False)


def test_the_login_page_has_labelled_fields_and_a_csrf_token(client):
    response = client.get("/login")
    doc = parse(response.text)
    assert response.status_code == 200
    assert doc.find("h1").text == "Sign in"
    for field_id in ("f-email", "f-password"):
        assert doc.find("label", for_=field_id) is not None
        assert doc.by_id(field_id) is not None
    assert doc.find("input", name="csrf_token").get("value")
    assert doc.find("a", class_="skip").get("href") == "#main"


def test_a_requester_signs_in_lands_on_their_needs_and_sees_their_menu(client, session):
    user = make_user(session, role="requester", full_name="Grace Mutua")
    session.commit()
    response = post_login(client, user.email, TEST_PASSWORD)
    assert response.status_code == 303
    assert response.headers["location"] == "/my/needs"
    cookie = response.headers["set-cookie"]
    assert SESSION_COOKIE in cookie and "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()

    nav = parse(client.get("/needs").text)
    links = [a.text for a in nav.find("nav", aria_label="Main").find_all("a")]
    assert "My needs" in links and "Proposals" in links
    assert "Console" not in links and "Admin" not in links
    assert "Grace Mutua" in nav.find("header").text
    assert nav.find("form", action="/logout") is not None


def test_an_officer_sees_the_console_link_and_not_the_requester_pages(login, client, session):
    login(make_user(session, role="officer"))
    nav = parse(client.get("/").text).find("nav", aria_label="Main")
    assert "Console" in nav.text
    assert client.get("/my/needs").status_code == 403


def test_a_wrong_password_shows_the_form_again_with_an_error_and_no_session(client, session):
    user = make_user(session, role="officer")
    session.commit()
    response = post_login(client, user.email, "not the password")
    doc = parse(response.text)
    assert response.status_code == 400
    assert "The e-mail address or the password is not right." in doc.find(class_="error-summary").text
    assert doc.by_id("f-email").get("value") == user.email
    assert doc.by_id("f-password").get("value") is None  # never echoed back
    assert "Sign in" in doc.find("header").text
    assert session.scalar(sa.select(sa.func.count()).select_from(LoginAttempt)) == 1


def test_an_unknown_email_fails_the_same_way(client):
    response = post_login(client, "nobody@test.example", "whatever-it-is")
    assert response.status_code == 400
    assert "not right" in parse(response.text).find(class_="error-summary").text


def test_a_login_goes_back_to_the_page_that_asked_for_it_but_never_off_site(client, session):
    user = make_user(session, role="requester")
    session.commit()
    response = client.get("/my/needs/new", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/my/needs/new"
    doc = parse(client.get(response.headers["location"]).text)
    assert doc.find("input", name="next").get("value") == "/my/needs/new"
    token = doc.find("input", name="csrf_token").get("value")
    ok = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token,
                                     "next": "/my/needs/new"}, follow_redirects=False)
    assert ok.headers["location"] == "/my/needs/new"

    client.cookies.clear()
    token = form_token(client, "/login")
    evil = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token,
                                       "next": "//evil.example/"}, follow_redirects=False)
    assert evil.headers["location"] == "/my/needs"


def test_the_demo_accounts_are_listed_in_development_only(client, monkeypatch):
    from capmatch.config import get_settings

    monkeypatch.setattr(get_settings(), "env", "development")
    doc = parse(client.get("/login").text)
    assert "officer@capmatch.example" in doc.text and "capmatch-demo" in doc.text
    monkeypatch.setattr(get_settings(), "env", "production")
    assert "officer@capmatch.example" not in client.get("/login").text


def test_the_session_cookie_is_secure_in_production(session, monkeypatch):
    from fastapi.testclient import TestClient

    from capmatch.app import create_app
    from capmatch.config import get_settings
    from capmatch.db import get_session

    monkeypatch.setattr(get_settings(), "env", "production")
    app = create_app()
    app.dependency_overrides[get_session] = lambda: session
    with TestClient(app) as client:
        cookie = client.get("/login").headers["set-cookie"].lower()
    assert "secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie


def test_notifications_are_counted_in_the_menu_and_can_be_marked_read(login, client, session):
    from capmatch.notifications.service import notify

    user = make_user(session, role="requester")
    notify(session, user_ids=[user.id], subject="A proposal waits for your answer", link="/my/proposals")
    notify(session, user_ids=[user.id], subject="Need published")
    login(user)
    doc = parse(client.get("/notifications").text)
    assert doc.find("a", class_="notif-link").find(class_="count").text == "2"
    listed = doc.find("ul", class_="notifications")
    assert listed.find("a", href="/my/proposals").text == "A proposal waits for your answer"
    token = doc.find("input", name="csrf_token").get("value")
    client.post("/notifications/read", data={"csrf_token": token}, follow_redirects=False)
    doc = parse(client.get("/notifications").text)
    assert doc.find("a", class_="notif-link").find(class_="count") is None
    assert "2 notifications marked read." in doc.find(class_="flash").text
