"""Admin page fixtures: the real app (with the admin router) and signing in through the login form."""

from __future__ import annotations

import pytest


@pytest.fixture
def app(app):
    from capmatch.admin import views as admin_views

    if "/admin" not in {getattr(route, "path", None) for route in app.routes}:
        app.include_router(admin_views.router)
    return app


@pytest.fixture
def login(client, session):
    from tests.factories import TEST_PASSWORD
    from tests.web.html import csrf_of, parse

    def sign_in(user):
        session.commit()
        token = csrf_of(parse(client.get("/login").text))
        response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token},
                               follow_redirects=False)
        assert response.status_code == 303, response.text
        return client

    return sign_in
