"""Web UI tests: sign in through the real login form, then read pages as a person would."""

from __future__ import annotations

import pytest

from tests.factories import TEST_PASSWORD
from tests.web.html import csrf_of, parse


@pytest.fixture
def login(client, session):
    """login(user) -> the client, signed in through the login form (setup is committed first)."""

    def sign_in(user, password: str = TEST_PASSWORD):
        session.commit()
        token = csrf_of(parse(client.get("/login").text))
        response = client.post("/login", data={"email": user.email, "password": password, "csrf_token": token},
                               follow_redirects=False)
        assert response.status_code == 303, response.text
        return client

    return sign_in


def form_token(client, path: str) -> str:
    """The CSRF token of the form on the page at `path`."""
    return csrf_of(parse(client.get(path).text))
