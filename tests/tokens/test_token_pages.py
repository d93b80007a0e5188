"""API tokens on the pages: /account/tokens for each person, /admin/tokens for the administrator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from capmatch.auth.models import ApiToken
from capmatch.auth.service import new_token
from capmatch.i18n.formats import day
from tests.factories import make_user
from tests.web.html import csrf_of, parse


def csrf(client, path="/account/tokens") -> str:
    return csrf_of(parse(client.get(path).text))


def rows(html: str) -> list[str]:
    table = parse(html).find("table")
    return [tr.text for tr in table.find_all("tr")[1:]] if table else []


def test_a_person_creates_a_token_and_sees_its_secret_once(client, login, session):
    user = make_user(session, role="requester")
    login(user)
    response = client.post("/account/tokens", data={"csrf_token": csrf(client), "name": "Monthly report",
                                                    "expires_in_days": "30"})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    secret = parse(response.text).by_id("new-token").get("value")
    assert secret.startswith("cm_")
    assert client.get("/api/v1/needs", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    page = client.get("/account/tokens")
    assert secret not in page.text and parse(page.text).by_id("new-token") is None
    [row] = rows(page.text)
    expires = day(datetime.now(UTC) + timedelta(days=30))
    # Name, created, last used (recorded by a connection of its own, which the test's rolled-back
    # transaction hides: test_token_last_use covers it), expiry, status.
    today = day(datetime.now(UTC))
    assert row.startswith(f"Monthly report {today} Never {expires} active")


def test_the_token_form_shows_bad_input_beside_each_field_and_makes_nothing(client, login, session):
    login(make_user(session, role="provider"))
    before = session.scalar(sa.select(sa.func.count()).select_from(ApiToken))
    response = client.post("/account/tokens", data={"csrf_token": csrf(client), "name": "  ",
                                                    "expires_in_days": "7"})
    assert response.status_code == 400
    doc = parse(response.text)
    assert "Enter the name." in doc.by_id("f-name-error").text
    assert "Choose how long the token works." in doc.by_id("f-expires_in_days-error").text
    assert doc.find("div", class_="error-summary") is not None
    long_name = client.post("/account/tokens", data={"csrf_token": csrf(client), "name": "x" * 81,
                                                     "expires_in_days": "90"})
    assert long_name.status_code == 400 and "80 characters at most" in parse(long_name.text).by_id("f-name-error").text
    assert session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == before


def test_a_person_revokes_their_token_and_it_stops_working(client, login, session):
    user = make_user(session, role="provider")
    token, secret = new_token(session, user_id=user.id, name="Roster sync",
                              expires_at=datetime.now(UTC) + timedelta(days=90))
    login(user)
    response = client.post(f"/account/tokens/{token.id}/revoke", data={"csrf_token": csrf(client)},
                           follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/account/tokens"
    page = client.get("/account/tokens")
    assert "The token Roster sync is revoked" in page.text
    assert " revoked " in rows(page.text)[0]
    assert client.get("/api/v1/needs", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_nobody_sees_or_revokes_another_persons_token_on_the_pages(client, login, session):
    owner = make_user(session, role="provider")
    token, secret = new_token(session, user_id=owner.id, name="Owner's secret sync",
                              expires_at=datetime.now(UTC) + timedelta(days=90))
    colleague = make_user(session, role="provider", organization_id=owner.organization_id)
    login(colleague)
    assert "Owner's secret sync" not in client.get("/account/tokens").text
    response = client.post(f"/account/tokens/{token.id}/revoke", data={"csrf_token": csrf(client)},
                           follow_redirects=False)
    assert response.status_code == 403
    assert client.get("/admin/tokens").status_code == 403
    session.expire_all()
    assert session.get(ApiToken, token.id).revoked_at is None


def test_the_administrator_sees_every_organizations_tokens_filters_and_revokes(client, login, session):
    provider = make_user(session, role="provider")
    requester = make_user(session, role="requester")
    theirs, secret = new_token(session, user_id=provider.id, name="Agency sync",
                               expires_at=datetime.now(UTC) + timedelta(days=30))
    new_token(session, user_id=requester.id, name="Mission report",
              expires_at=datetime.now(UTC) + timedelta(days=30))
    login(make_user(session, role="admin"))
    page = client.get("/admin/tokens")
    assert page.status_code == 200
    listed = " ".join(rows(page.text))
    assert "Agency sync" in listed and provider.email in listed and "Mission report" in listed
    filtered = " ".join(rows(client.get(f"/admin/tokens?org={provider.organization_id}").text))
    assert "Agency sync" in filtered and "Mission report" not in filtered
    response = client.post(f"/admin/tokens/{theirs.id}/revoke", data={"csrf_token": csrf(client, "/admin/tokens")},
                           follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/api/v1/needs", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    live = " ".join(rows(client.get("/admin/tokens?active=true").text))
    assert "Agency sync" not in live and "Mission report" in live


def test_the_account_link_is_in_the_signed_in_navigation(client, login, session):
    assert parse(client.get("/").text).find("a", href="/account") is None
    login(make_user(session, role="officer"))
    assert parse(client.get("/").text).find("a", href="/account") is not None
