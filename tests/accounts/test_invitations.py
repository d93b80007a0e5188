"""Invitations over HTTP: the e-mail on the local SMTP server, the link's page, landing signed in; reuse,
expiry, tampering, resend and revoke, and the audit trail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from capmatch.accounts import invitations
from capmatch.accounts.models import Invitation, OutgoingEmail
from capmatch.audit.models import AuditEvent
from capmatch.auth.actor import Actor
from capmatch.auth.models import User
from tests.accounts.conftest import link_in
from tests.factories import make_organization, make_user
from tests.web.html import csrf_of, parse

STRONG = "amber-falcon-river-42"


def actor_of(user) -> Actor:
    return Actor(user_id=user.id, role=user.role, organization_id=user.organization_id, email=user.email,
                 is_focal_point=user.is_focal_point)


def accept(client, path: str, *, password: str = STRONG, again: str | None = None, name: str = "Nia Ndlovu"):
    page = client.get("/password/forgot")  # any form of the session carries its token
    return client.post(path, data={"csrf_token": csrf_of(parse(page.text)), "full_name": name,
                                   "password": password, "password_again": again or password},
                       follow_redirects=False)


def test_a_focal_point_invites_a_colleague_who_lands_signed_in(client, session, login, mailbox):
    agency = make_organization(session, country_iso3="KEN")
    focal = make_user(session, role="provider", organization_id=agency.id, is_focal_point=True)
    login(focal)
    page = client.get(f"/organizations/{agency.id}/people")
    assert page.status_code == 200
    response = client.post(f"/organizations/{agency.id}/invitations", data={
        "csrf_token": csrf_of(parse(page.text)), "email": "Nia@Agency.example", "full_name": "Nia",
        "role": "provider"}, follow_redirects=False)
    assert response.status_code == 303, response.text
    assert "nia@agency.example" in client.get(f"/organizations/{agency.id}/people").text
    [(to, subject, text)] = mailbox()
    assert to == "nia@agency.example" and agency.name in subject
    path = link_in(text)
    assert path.startswith("/invitations/")
    assert session.scalar(sa.select(OutgoingEmail.body)) == ""  # the link is not kept once sent
    client.post("/logout", data={"csrf_token": csrf_of(parse(client.get("/").text))})

    page = client.get(path)
    assert page.status_code == 200 and "nia@agency.example" in page.text
    landed = accept(client, path)
    assert landed.status_code == 303 and landed.headers["location"] == "/roster"
    home = client.get("/roster")
    assert home.status_code == 200 and "Nia Ndlovu" in home.text
    user = session.scalar(sa.select(User).where(User.email == "nia@agency.example"))
    assert (user.role, user.organization_id, user.is_focal_point) == ("provider", agency.id, False)
    actions = session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.entity_type.in_(("invitation", "user"))).order_by(AuditEvent.id)).all()
    assert actions == ["create", "accept", "join"]

    used = client.get(path)
    assert used.status_code == 410 and "already been used" in used.text


def test_a_weak_or_mismatched_password_is_refused_on_the_form_and_the_link_still_works(client, session):
    admin = make_user(session, role="admin")
    invitation = invitations.invite(session, actor=actor_of(admin), email="x@mission.example", full_name="",
                                    role="officer", organization_id=None)
    token = _token_for(session, invitation)
    session.commit()
    for password, again, words in (("short", None, "at least 10"), ("Password2024!", None, "most common"),
                                   ("x@mission.example", None, "e-mail address as your password"), ("abcdefghijk", None, "too easy"), ("zzzzzzzzzzzz", None, "too easy"),
                                   (STRONG, STRONG + "x", "the same password in both boxes")):
        response = accept(client, f"/invitations/{token}", password=password, again=again)
        assert response.status_code == 400 and words in response.text, (password, response.text[:300])
    assert accept(client, f"/invitations/{token}").status_code == 303


def _token_for(session, invitation) -> str:
    from capmatch.accounts.links import new_link

    link = new_link("invitation")
    invitation.token_digest = link.digest
    session.flush()
    return link.token


def test_an_expired_a_tampered_and_a_foreign_link_each_say_so(client, session):
    admin = make_user(session, role="admin")
    invitation = invitations.invite(session, actor=actor_of(admin), email="late@ngo.example", full_name="",
                                    role="officer", organization_id=None)
    token = _token_for(session, invitation)
    invitation.expires_at = datetime.now(UTC) - timedelta(minutes=1)
    session.commit()
    expired = client.get(f"/invitations/{token}")
    assert expired.status_code == 410 and "expired" in expired.text
    assert accept(client, f"/invitations/{token}").status_code == 410
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert client.get(f"/invitations/{tampered}").status_code == 404
    from capmatch.accounts.links import new_link

    # Signed by us but for another purpose: a reset link is no invitation.
    foreign = client.get(f"/invitations/{new_link('password_reset').token}")
    assert foreign.status_code == 404 and "not valid" in foreign.text
    assert session.scalar(sa.select(sa.func.count()).select_from(User).where(User.email == "late@ngo.example")) == 0


def test_resend_replaces_the_link_and_revoke_ends_it(client, session, mailbox):
    agency = make_organization(session, country_iso3="KEN")
    admin = make_user(session, role="admin")
    invitation = invitations.invite(session, actor=actor_of(admin), email="twice@agency.example", full_name="",
                                    role="provider", organization_id=agency.id)
    first = link_in(mailbox()[0][2])
    invitations.resend(session, actor=actor_of(admin), invitation_id=invitation.id)
    second = link_in(mailbox()[1][2])
    assert first != second
    session.commit()
    assert client.get(first).status_code == 404  # replaced
    assert client.get(second).status_code == 200
    invitations.revoke(session, actor=actor_of(admin), invitation_id=invitation.id)
    session.commit()
    revoked = client.get(second)
    assert revoked.status_code == 410 and "withdrawn" in revoked.text
    actions = session.scalars(sa.select(AuditEvent.action).where(AuditEvent.entity_type == "invitation")
                              .order_by(AuditEvent.id)).all()
    assert actions == ["create", "resend", "revoke"]


def test_an_address_with_an_account_or_an_open_invitation_cannot_be_invited(session):
    from capmatch.errors import Conflict
    import pytest

    agency = make_organization(session, country_iso3="KEN")
    admin = make_user(session, role="admin")
    existing = make_user(session, role="provider", organization_id=agency.id)
    with pytest.raises(Conflict, match="already has an account"):
        invitations.invite(session, actor=actor_of(admin), email=existing.email, full_name="", role="provider",
                           organization_id=agency.id)
    invitations.invite(session, actor=actor_of(admin), email="open@agency.example", full_name="", role="provider",
                       organization_id=agency.id)
    with pytest.raises(Conflict, match="already open"):
        invitations.invite(session, actor=actor_of(admin), email="open@agency.example", full_name="",
                           role="provider", organization_id=agency.id)
    assert session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 1
