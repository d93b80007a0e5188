"""The console turns requesters and providers away saying whom it is for, and links officers to it.

Who may open which console page (visitors to the login page, others 403) is in tests/test_authorization_matrix.py.
"""

from __future__ import annotations

import pytest

from tests.factories import make_run, make_user
from tests.web.conftest import form_token

PAGES = ["/officer", "/officer/runs", "/officer/runs/new", "/officer/runs/{run}", "/officer/runs/{run}/status",
         "/officer/proposals", "/officer/match", "/officer/match/lookup?need_id=1", "/officer/audit"]
FORMS = ["/officer/runs/new", "/officer/runs/{run}", "/officer/proposals", "/officer/match"]


@pytest.mark.parametrize("role", ["requester", "provider"])
def test_requesters_and_providers_get_403_on_every_console_page(client, session, login, role):
    run = make_run(session)
    login(make_user(session, role=role))
    for page in PAGES:
        response = client.get(page.format(run=run.id))
        assert response.status_code == 403, page
        assert "officers and admins" in response.text
    token = form_token(client, "/notifications")
    for page in FORMS:
        response = client.post(page.format(run=run.id), data={"csrf_token": token, "action": "approve", "ids": "1"})
        assert response.status_code == 403, page


def test_the_navigation_links_officers_to_the_console(as_officer):
    from tests.web.html import parse

    doc = parse(as_officer.get("/officer").text)
    assert doc.find("a", href="/officer") is not None
    nav = doc.find("nav", aria_label="Console")
    assert [a.get("href") for a in nav.find_all("a")] == [
        "/officer", "/officer/runs", "/officer/runs/new", "/officer/policies", "/officer/proposals", "/officer/match",
        "/officer/audit"]
