"""API tokens over the API: made with an expiry, the secret shown once, refused once expired or revoked,
each person's own, the administrator's all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from capmatch.audit.models import AuditEvent
from capmatch.auth.models import ApiToken
from capmatch.auth.service import actor_for_token, issue_token
from tests.api.support import error_fields
from tests.factories import make_user


@pytest.fixture
def people(session):
    provider = make_user(session, role="provider")
    made = {
        "provider": provider,
        "colleague": make_user(session, role="provider", organization_id=provider.organization_id),
        "requester": make_user(session, role="requester"),
        "officer": make_user(session, role="officer"),
        "admin": make_user(session, role="admin"),
    }
    session.commit()  # a refused request rolls back to here
    return made


def create(client, headers, name="roster sync", days=30):
    response = client.post("/api/v1/tokens", json={"name": name, "expires_in_days": days}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_a_created_token_works_expires_when_chosen_and_its_secret_is_shown_only_once(client, session, people,
                                                                                  bearer):
    headers = bearer(people["provider"])
    made = create(client, headers, days=90)
    assert made["token"].startswith("cm_") and made["status"] == "active" and made["name"] == "roster sync"
    expires = datetime.fromisoformat(made["expires_at"])
    assert timedelta(days=89, hours=23) < expires - datetime.now(UTC) <= timedelta(days=90)
    # The new token is a working credential.
    mine = client.get("/api/v1/tokens", headers={"Authorization": f"Bearer {made['token']}"})
    assert mine.status_code == 200
    # No later answer carries the secret: only its digest is stored.
    assert made["token"] not in mine.text and "token" not in mine.json()["items"][0]
    stored = session.scalar(sa.select(ApiToken).where(ApiToken.id == made["id"]))
    assert made["token"] not in (stored.token_hash, stored.name)


def test_an_expired_token_is_refused(client, session, people):
    token = issue_token(session, user_id=people["requester"].id, expires_at=datetime.now(UTC) - timedelta(seconds=1))
    session.commit()
    response = client.get("/api/v1/tokens", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert "expired" in response.json()["error"]["message"]
    later = datetime.now(UTC) + timedelta(days=31)
    fresh = issue_token(session, user_id=people["requester"].id, expires_at=datetime.now(UTC) + timedelta(days=30))
    assert actor_for_token(session, token=fresh) is not None
    assert actor_for_token(session, token=fresh, now=later) is None


def test_a_revoked_token_is_refused_from_the_next_request(client, people, bearer):
    made = create(client, bearer(people["provider"]))
    own = {"Authorization": f"Bearer {made['token']}"}
    # A token may revoke itself: the request that does it is the last it makes.
    revoked = client.post(f"/api/v1/tokens/{made['id']}/revoke", headers=own)
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert client.get("/api/v1/needs", headers=own).status_code == 401
    assert client.post("/api/v1/tokens", json={"name": "another"}, headers=own).status_code == 401


def test_a_user_neither_sees_nor_revokes_another_users_token(client, session, people, bearer):
    theirs = create(client, bearer(people["provider"]), name="provider's sync")
    for who in ("colleague", "requester", "officer"):
        headers = bearer(people[who])
        listed = client.get("/api/v1/tokens", headers=headers).json()
        assert all(t["user_id"] == people[who].id for t in listed["items"]), who
        assert "provider's sync" not in str(listed)
        assert client.get("/api/v1/tokens?all=true", headers=headers).status_code == 403
        response = client.post(f"/api/v1/tokens/{theirs['id']}/revoke", headers=headers)
        assert response.status_code == 403, who
    assert session.get(ApiToken, theirs["id"]).revoked_at is None
    assert client.get("/api/v1/needs", headers={"Authorization": f"Bearer {theirs['token']}"}).status_code == 200
    assert client.post("/api/v1/tokens/2147483647/revoke", headers=bearer(people["requester"])).status_code == 404


def test_the_administrator_sees_every_organizations_tokens_and_revokes_any(client, session, people, bearer):
    theirs = create(client, bearer(people["provider"]), name="provider's sync")
    create(client, bearer(people["requester"]), name="mission report")
    admin = bearer(people["admin"])
    everyone = client.get("/api/v1/tokens?all=true&page_size=200", headers=admin).json()
    names = {t["name"] for t in everyone["items"]}
    assert {"provider's sync", "mission report"} <= names
    one_org = client.get(f"/api/v1/tokens?all=true&organization={people['provider'].organization_id}",
                         headers=admin).json()
    assert {t["user_id"] for t in one_org["items"]} == {people["provider"].id}
    # Without all=true the administrator's list is their own, like anyone's.
    assert all(t["user_id"] == people["admin"].id for t in client.get("/api/v1/tokens", headers=admin).json()["items"])
    revoked = client.post(f"/api/v1/tokens/{theirs['id']}/revoke", headers=admin)
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert client.get("/api/v1/needs", headers={"Authorization": f"Bearer {theirs['token']}"}).status_code == 401
    live = client.get("/api/v1/tokens?all=true&active=true&page_size=200", headers=admin).json()
    assert theirs["id"] not in {t["id"] for t in live["items"]}


@pytest.mark.parametrize(("body", "field"), [
    ({"name": "", "expires_in_days": 30}, "name"),
    ({"name": "   ", "expires_in_days": 30}, "name"),
    ({"name": "x" * 81}, "name"),
    ({"name": "ok", "expires_in_days": 7}, "expires_in_days"),
    ({"name": "ok", "expires_in_days": "never"}, "expires_in_days"),
    ({"expires_in_days": 30}, "name"),
    ({"name": "ok", "user_id": 1}, "user_id"),
])
def test_bad_input_names_the_field_and_makes_no_token(client, session, people, bearer, body, field):
    headers = bearer(people["requester"])
    session.commit()
    before = session.scalar(sa.select(sa.func.count()).select_from(ApiToken))
    response = client.post("/api/v1/tokens", json=body, headers=headers)
    assert response.status_code == 422, response.text
    assert field in error_fields(response)
    assert session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == before


def test_two_live_tokens_of_one_person_cannot_share_a_name(client, people, bearer):
    headers = bearer(people["requester"])
    create(client, headers, name="report")
    again = client.post("/api/v1/tokens", json={"name": "report"}, headers=headers)
    assert again.status_code == 409 and error_fields(again) == ["name"]


def test_creating_and_revoking_a_token_are_audit_events(client, session, people, bearer):
    made = create(client, bearer(people["provider"]), name="audited")
    client.post(f"/api/v1/tokens/{made['id']}/revoke", headers=bearer(people["admin"]))
    events = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.entity_type == "api_token", AuditEvent.entity_id == made["id"]).order_by(AuditEvent.id)).all()
    assert [(e.action, e.actor_id) for e in events] == [("create", people["provider"].id),
                                                        ("revoke", people["admin"].id)]
    assert events[0].data["name"] == "audited" and events[0].data["expires_at"]
    assert (events[1].from_state, events[1].to_state) == ("active", "revoked")
    assert made["token"] not in str([e.data for e in events])
    # Revoking again changes nothing and records nothing.
    client.post(f"/api/v1/tokens/{made['id']}/revoke", headers=bearer(people["admin"]))
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.entity_type == "api_token", AuditEvent.entity_id == made["id"])) == 2
