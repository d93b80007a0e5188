"""The login throttle: growing waits per (account, address), a cap per address, and never a lock-out.

The tests run in one transaction, so the database's now() stands still within a test: time passing
is written as failures dated in the past.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from capmatch.auth import throttle
from capmatch.auth.models import LoginAttempt
from tests.factories import TEST_PASSWORD, make_user
from tests.web.conftest import form_token
from tests.web.html import parse

ATTACKER = "203.0.113.5"
OWNER = "198.51.100.7"


def post_login(client, email, password, headers=None):
    token = form_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token},
                       headers=headers or {}, follow_redirects=False)


def failures(session, *, email, address, count, seconds_ago=0):
    session.add_all(
        LoginAttempt(email=email, address=address,
                     attempted_at=sa.text(f"now() - interval '{seconds_ago} seconds'"))
        for _ in range(count)
    )
    session.commit()


def recorded_addresses(session) -> set[str]:
    return set(session.scalars(sa.select(LoginAttempt.address)))


@pytest.fixture
def client_at(app):
    """client_at(address) -> a browser whose requests come from that address."""
    return lambda address: TestClient(app, raise_server_exceptions=False, client=(address, 50000))


def test_five_wrong_passwords_from_one_address_do_not_stop_the_owner_signing_in_from_another(client_at, session):
    user = make_user(session, role="officer")
    session.commit()
    attacker, owner = client_at(ATTACKER), client_at(OWNER)
    for _ in range(5):
        assert post_login(attacker, user.email, "wrong-password").status_code == 400

    assert post_login(owner, user.email, TEST_PASSWORD).status_code == 303
    assert owner.get("/officer", follow_redirects=False).status_code == 200

    # The guesser's address now waits, even with the right password.
    throttled = post_login(attacker, user.email, TEST_PASSWORD)
    assert throttled.status_code == 429
    assert throttled.headers["retry-after"] == "1"
    doc = parse(throttled.text)
    assert "Too many failed sign-in attempts for this account from your network. Try again in 1 second." \
        in doc.find(class_="error-summary").text
    assert doc.by_id("f-email").get("value") == user.email  # the form again, ready for the next try
    assert attacker.get("/officer", follow_redirects=False).status_code == 303  # still signed out


def test_each_failure_past_the_first_five_doubles_the_wait(client_at, session):
    user = make_user(session, role="officer")
    failures(session, email=user.email, address=ATTACKER, count=8)
    response = post_login(client_at(ATTACKER), user.email, TEST_PASSWORD)
    assert response.status_code == 429 and response.headers["retry-after"] == "8"
    assert [throttle.delay_after(n).total_seconds() for n in range(4, 11)] == [0, 1, 2, 4, 8, 16, 32]
    assert throttle.delay_after(40) == timedelta(minutes=15)


def test_once_the_wait_is_over_the_right_password_signs_in_and_clears_that_addresss_failures(client_at, session):
    user = make_user(session, role="officer")
    failures(session, email=user.email, address=ATTACKER, count=6, seconds_ago=3)  # 6 failures: wait 2 s
    failures(session, email=user.email, address=OWNER, count=2)
    assert post_login(client_at(ATTACKER), user.email, TEST_PASSWORD).status_code == 303
    assert recorded_addresses(session) == {OWNER}


def test_a_throttled_attempt_is_not_checked_and_not_counted(client_at, session):
    user = make_user(session, role="officer")
    failures(session, email=user.email, address=ATTACKER, count=5)
    assert post_login(client_at(ATTACKER), user.email, "wrong-password").status_code == 429
    assert session.scalar(sa.select(sa.func.count()).select_from(LoginAttempt)) == 5


def test_twenty_failures_from_one_address_throttle_every_account_from_there_but_not_from_elsewhere(
    client_at, session
):
    user = make_user(session, role="officer")
    for i in range(20):
        failures(session, email=f"guess{i}@test.example", address=ATTACKER, count=1, seconds_ago=60 * (13 - i % 3))
    response = post_login(client_at(ATTACKER), user.email, TEST_PASSWORD)
    assert response.status_code == 429
    assert response.headers["retry-after"] == "120"  # when the oldest failure leaves the window
    assert "from your network. Try again in 2 minutes." in parse(response.text).find(class_="error-summary").text
    assert post_login(client_at(OWNER), user.email, TEST_PASSWORD).status_code == 303


def test_failures_older_than_fifteen_minutes_do_not_count(client_at, session):
    user = make_user(session, role="officer")
    failures(session, email=user.email, address=ATTACKER, count=30, seconds_ago=16 * 60)
    assert post_login(client_at(ATTACKER), user.email, TEST_PASSWORD).status_code == 303


def test_the_periodic_job_deletes_only_failures_that_no_longer_count(session):
    import capmatch.auth.tasks  # noqa: F401
    from capmatch.jobs.app import tasks

    failures(session, email="old@test.example", address=ATTACKER, count=3, seconds_ago=16 * 60)
    failures(session, email="new@test.example", address=ATTACKER, count=2, seconds_ago=14 * 60)
    assert throttle.delete_expired_attempts(session) == 3
    assert set(session.scalars(sa.select(LoginAttempt.email))) == {"new@test.example"}
    assert any(name.split(":")[-1] == "delete_expired_login_attempts"
               for name, _ in tasks.periodic_registry.periodic_tasks)


# --- X-Forwarded-For ---------------------------------------------------------------------------


def test_x_forwarded_for_is_ignored_by_default_so_it_cannot_dodge_the_throttle(client, session):
    user = make_user(session, role="officer")
    session.commit()
    for i in range(5):
        forged = {"X-Forwarded-For": f"192.0.2.{i}"}
        assert post_login(client, user.email, "wrong-password", forged).status_code == 400
    assert post_login(client, user.email, TEST_PASSWORD, {"X-Forwarded-For": OWNER}).status_code == 429
    assert recorded_addresses(session) == {"testclient"}


@pytest.fixture
def app_behind_proxy(session, monkeypatch):
    """The app as deployed behind a reverse proxy at 10.0.0.1 (CAPMATCH_TRUSTED_PROXIES=10.0.0.1)."""
    from capmatch.app import create_app
    from capmatch.config import get_settings
    from tests.conftest import run_requests_in

    monkeypatch.setattr(get_settings(), "trusted_proxies", ["10.0.0.1"])
    app = create_app()
    run_requests_in(app, session)
    return lambda address: TestClient(app, raise_server_exceptions=False, client=(address, 50000))


def test_behind_a_trusted_proxy_the_forwarded_client_is_the_address_throttled(app_behind_proxy, session):
    user = make_user(session, role="officer")
    session.commit()
    proxy = app_behind_proxy("10.0.0.1")
    for _ in range(5):
        # A client's own forged entry comes first; the proxy appends the address it saw.
        headers = {"X-Forwarded-For": f"192.0.2.99, {ATTACKER}"}
        assert post_login(proxy, user.email, "wrong-password", headers).status_code == 400
    assert recorded_addresses(session) == {ATTACKER}
    assert post_login(proxy, user.email, TEST_PASSWORD, {"X-Forwarded-For": ATTACKER}).status_code == 429
    assert post_login(proxy, user.email, TEST_PASSWORD, {"X-Forwarded-For": OWNER}).status_code == 303


def test_an_app_that_trusts_a_proxy_still_ignores_the_header_from_anyone_else(app_behind_proxy, session):
    user = make_user(session, role="officer")
    session.commit()
    direct = app_behind_proxy("10.0.0.9")
    assert post_login(direct, user.email, "wrong-password", {"X-Forwarded-For": OWNER}).status_code == 400
    assert recorded_addresses(session) == {"10.0.0.9"}


def test_capmatch_serve_leaves_the_proxy_headers_to_the_app_so_uvicorn_trusts_no_one_by_itself(engine, monkeypatch):
    import uvicorn
    from typer.testing import CliRunner

    from capmatch.cli import app as cli

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: seen.update(kwargs))
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 0, result.output
    assert seen["proxy_headers"] is False  # uvicorn's default would believe 127.0.0.1 and ::1
