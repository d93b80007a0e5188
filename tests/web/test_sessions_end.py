"""Sessions end for good: signing out, a new password or a deactivation, copies of the cookie included."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from capmatch.auth.actor import Actor
from capmatch.auth.models import User
from capmatch.auth.service import set_password
from capmatch.auth.users import set_user_active
from capmatch.errors import InvalidInput
from capmatch.web.session import SESSION_COOKIE
from tests.factories import TEST_PASSWORD, make_user
from tests.web.conftest import form_token


def signed_in(client) -> bool:
    return client.get("/my/needs", follow_redirects=False).status_code == 200


def sign_in(client, user, password=TEST_PASSWORD):
    token = form_token(client, "/login")
    response = client.post("/login", data={"email": user.email, "password": password, "csrf_token": token},
                           follow_redirects=False)
    assert response.status_code == 303, response.text


@pytest.fixture
def second_browser(app):
    return TestClient(app, raise_server_exceptions=False)


def as_admin(session) -> Actor:
    admin = make_user(session, role="admin")
    return Actor(user_id=admin.id, role="admin", organization_id=None, email=admin.email)


def test_after_signing_out_a_copy_of_the_old_cookie_no_longer_signs_in(login, client, session, second_browser):
    login(make_user(session, role="requester"))
    stolen = client.cookies[SESSION_COOKIE]
    second_browser.cookies.set(SESSION_COOKIE, stolen)
    assert signed_in(second_browser)

    response = client.post("/logout", data={"csrf_token": form_token(client, "/my/needs")}, follow_redirects=False)
    assert response.status_code == 303
    assert not signed_in(client)

    second_browser.cookies.set(SESSION_COOKIE, stolen)
    response = second_browser.get("/my/needs", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_signing_out_ends_every_session_of_that_user_and_a_new_sign_in_works(login, client, session, second_browser):
    user = make_user(session, role="requester")
    sign_in(second_browser, user)
    login(user)
    client.post("/logout", data={"csrf_token": form_token(client, "/my/needs")})
    assert not signed_in(second_browser)
    sign_in(client, user)
    assert signed_in(client)


def test_a_password_change_ends_the_users_sessions_and_the_new_password_signs_in(
    login, client, session, second_browser
):
    user = make_user(session, role="requester")
    sign_in(second_browser, user)
    login(user)
    set_password(session, user_id=user.id, password="a-brand-new-password")
    session.commit()
    assert not signed_in(client) and not signed_in(second_browser)
    sign_in(client, user, "a-brand-new-password")
    assert signed_in(client)


def test_any_change_of_the_password_hash_ends_the_sessions_even_written_by_hand(login, client, session):
    user = make_user(session, role="requester")
    login(user)
    session.execute(sa.update(User).where(User.id == user.id).values(password_hash="$argon2id$v=19$changed"))
    session.commit()
    assert not signed_in(client)


def test_a_short_new_password_is_refused_naming_the_field(session):
    user = make_user(session, role="requester")
    with pytest.raises(InvalidInput) as refused:
        set_password(session, user_id=user.id, password="short")
    assert refused.value.field == "password"


def test_deactivation_ends_the_users_sessions_and_reactivation_does_not_bring_them_back(login, client, session):
    user = make_user(session, role="requester")
    admin = as_admin(session)
    login(user)
    stale = client.cookies[SESSION_COOKIE]
    set_user_active(session, actor=admin, user_id=user.id, active=False)
    session.commit()
    response = client.get("/my/needs", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")

    set_user_active(session, actor=admin, user_id=user.id, active=True)
    session.commit()
    client.cookies.set(SESSION_COOKIE, stale)
    assert not signed_in(client)


def test_signing_in_and_reading_pages_leave_the_session_version_alone(login, client, session):
    user = make_user(session, role="requester")
    login(user)
    for _ in range(3):
        assert signed_in(client)
    session.refresh(user)
    assert user.session_version == 0
