"""Forgotten and changed passwords, and changed e-mail addresses: links, throttling, sessions ending, mail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from fastapi.testclient import TestClient

from capmatch.accounts import throttle
from capmatch.accounts.models import AccountLink
from capmatch.audit.models import AuditEvent
from capmatch.auth.models import User
from tests.accounts.conftest import link_in
from tests.factories import TEST_PASSWORD, make_user
from tests.web.html import csrf_of, parse

NEW = "quiet-harbour-lantern-7"


def post(client, path: str, **data):
    token = csrf_of(parse(client.get("/password/forgot").text))
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)


def forgot(client, email: str):
    return post(client, "/password/forgot", email=email)


def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(client, session, mailbox):
    user = make_user(session, role="officer")
    session.commit()
    known, unknown = forgot(client, user.email), forgot(client, "nobody@nowhere.example")
    assert known.status_code == unknown.status_code == 200
    strip = lambda r, e: parse(r.text).by_id("main").text.replace(e, "EMAIL")  # noqa: E731
    assert strip(known, user.email) == strip(unknown, "nobody@nowhere.example")
    [(to, subject, _text)] = mailbox()  # only the real account gets mail
    assert to == user.email and "Reset" in subject


def test_a_reset_link_sets_a_new_password_ends_other_sessions_and_tells_the_user(app, client, session, login,
                                                                                mailbox):
    user = make_user(session, role="officer")
    login(user)  # another session, elsewhere
    assert client.get("/officer").status_code == 200
    with TestClient(app) as other:
        forgot(other, user.email)
        path = link_in(mailbox()[0][2])
        assert other.get(path).status_code == 200
        done = post(other, path, password=NEW, password_again=NEW)
        assert done.status_code == 303 and done.headers["location"] == "/officer"
        assert other.get("/officer").status_code == 200  # landed signed in
        again = other.get(path)
        assert again.status_code == 410 and "already been used" in again.text
    assert client.get("/officer", follow_redirects=False).status_code == 303  # the old session ended
    messages = mailbox()
    assert messages[-1][0] == user.email and "password was changed" in messages[-1][1]
    assert login(user, NEW)
    actions = session.scalars(sa.select(AuditEvent.action).where(AuditEvent.entity_id == user.id,
                                                                  AuditEvent.entity_type == "user")).all()
    assert actions == ["password_reset_requested", "password_reset"]


def test_a_reset_link_expires_cannot_be_tampered_with_and_an_older_one_dies_with_a_reset(client, session, mailbox):
    user = make_user(session, role="officer")
    session.commit()
    forgot(client, user.email)
    forgot(client, user.email)
    first, second = (link_in(m[2]) for m in mailbox())
    tampered = second[:-2] + ("xy" if not second.endswith("xy") else "zz")
    assert client.get(tampered).status_code == 404
    assert client.get(second.replace("/password/reset/", "/invitations/")).status_code == 404  # wrong purpose
    assert post(client, second, password=NEW, password_again=NEW).status_code == 303
    assert client.get(first).status_code == 410  # used up by the reset that followed it
    forgot(client, user.email)
    third = link_in(mailbox()[-1][2])
    session.execute(sa.update(AccountLink).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    session.commit()
    expired = client.get(third)
    assert expired.status_code == 410 and "expired" in expired.text and "/password/forgot" in expired.text


def test_reset_requests_are_throttled_per_address_typed_and_per_network(client, session):
    user = make_user(session, role="officer")
    session.commit()
    for _ in range(throttle.MAX_PER_EMAIL):
        assert forgot(client, user.email).status_code == 200
    refused = forgot(client, user.email)
    assert refused.status_code == 429 and "Too many" in refused.text and int(refused.headers["Retry-After"]) > 0
    # An address with no account is counted the same way: the throttle tells nothing either.
    for _ in range(throttle.MAX_PER_EMAIL):
        assert forgot(client, "ghost@nowhere.example").status_code == 200
    assert forgot(client, "ghost@nowhere.example").status_code == 429
    # The network's cap: other addresses from the same client.
    for i in range(throttle.MAX_PER_ADDRESS - 2 * throttle.MAX_PER_EMAIL):
        assert forgot(client, f"other{i}@nowhere.example").status_code == 200
    network = forgot(client, "fresh@nowhere.example")
    assert network.status_code == 429 and "your network" in network.text
    assert session.scalar(sa.select(sa.func.count()).select_from(AccountLink)) == throttle.MAX_PER_EMAIL


def test_changing_the_password_needs_the_current_one_and_ends_only_the_other_sessions(app, client, session, login,
                                                                                     mailbox):
    user = make_user(session, role="officer")
    login(user)
    with TestClient(app) as elsewhere:
        token = csrf_of(parse(elsewhere.get("/login").text))
        elsewhere.post("/login", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token})
        assert elsewhere.get("/officer").status_code == 200
        page = client.get("/account/password")
        data = {"csrf_token": csrf_of(parse(page.text)), "password": NEW, "password_again": NEW}
        wrong = client.post("/account/password", data={**data, "current_password": "not-it-at-all"})
        assert wrong.status_code == 400 and "not your current password" in wrong.text
        weak = client.post("/account/password", data={**data, "current_password": TEST_PASSWORD,
                                                       "password": "qwerty12345", "password_again": "qwerty12345"})
        assert weak.status_code == 400 and "most common" in weak.text
        done = client.post("/account/password", data={**data, "current_password": TEST_PASSWORD},
                           follow_redirects=False)
        assert done.status_code == 303
        assert client.get("/officer").status_code == 200  # this session carries on
        assert elsewhere.get("/officer", follow_redirects=False).status_code == 303  # that one ended
    [(to, subject, _)] = mailbox()
    assert to == user.email and "password was changed" in subject


def test_a_new_email_address_is_used_only_once_it_confirms(client, session, login, mailbox):
    user = make_user(session, role="officer")
    other = make_user(session, role="officer")
    old = user.email
    login(user)
    page = client.get("/account/email")
    data = {"csrf_token": csrf_of(parse(page.text)), "current_password": TEST_PASSWORD}
    taken = client.post("/account/email", data={**data, "new_email": other.email})
    assert taken.status_code == 400 and "already used" in taken.text
    asked = client.post("/account/email", data={**data, "new_email": "New.Me@Example.org"}, follow_redirects=False)
    assert asked.status_code == 303
    session.expire_all()
    assert session.get(User, user.id).email == old  # nothing changes yet
    messages = mailbox()
    assert sorted(m[0] for m in messages) == sorted(["new.me@example.org", old])
    path = link_in(next(m[2] for m in messages if m[0] == "new.me@example.org"))
    assert "new.me@example.org" in client.get(path).text
    assert post(client, path).status_code == 303
    session.expire_all()
    assert session.get(User, user.id).email == "new.me@example.org"
    assert client.get(path).status_code == 410
    assert mailbox()[-1][0] == old  # the old address hears of it
    assert session.scalar(sa.select(AuditEvent.action).where(AuditEvent.entity_id == user.id)
                          .order_by(AuditEvent.id.desc()).limit(1)) == "email_change"
