"""The profile page, /account: what a person sees of their account and what they change themselves."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from capmatch.audit.models import AuditEvent
from capmatch.auth.models import User
from capmatch.notifications.models import NotificationPreference
from capmatch.notifications.preferences import email_choices
from tests.factories import make_organization, make_user
from tests.web.html import csrf_of, parse


def csrf(client) -> str:
    return csrf_of(parse(client.get("/account").text))


@pytest.fixture
def provider(session):
    agency = make_organization(session, name="Kenya Prisons Service")
    return make_user(session, role="provider", organization_id=agency.id, full_name="Amina Odhiambo",
                     language="en")  # chose English


def test_the_profile_shows_name_email_organization_role_and_choices(client, login, provider):
    login(provider)
    doc = parse(client.get("/account").text)
    facts = doc.find("dl", class_="facts").text
    assert provider.email in facts and "Kenya Prisons Service" in facts and "Provider" in facts
    assert doc.by_id("f-full_name").get("value") == "Amina Odhiambo"
    assert doc.find("option", value="en").get("selected") is not None
    # No e-mail is typed here: it changes only once the new address is confirmed.
    assert doc.find("input", name="email") is None
    # By default every kind of notice comes by e-mail too.
    boxes = doc.find_all("input", name="email_kinds")
    assert len(boxes) == 3 and all(b.get("checked") is not None for b in boxes)
    assert any(a.get("href", "").endswith("/account/tokens") and a.text == "API tokens" for a in doc.find_all("a"))


def test_a_person_changes_their_name_language_and_email_choices(client, login, session, provider):
    login(provider)
    response = client.post("/account", data={
        "csrf_token": csrf(client), "full_name": "  Amina W. Odhiambo ", "language": "fr",
        "email_kinds": ["proposal_answer_needed"]}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/account"
    session.expire_all()
    user = session.get(User, provider.id)
    assert (user.full_name, user.language) == ("Amina W. Odhiambo", "fr")
    assert email_choices(session, user_id=user.id) == {
        "proposal_answer_needed": True, "proposal_progress": False, "proposal_ended": False}
    page = parse(client.get("/account").text)
    assert "Your profile is saved." in page.text
    assert page.find("option", value="fr").get("selected") is not None
    assert [b.get("value") for b in page.find_all("input", name="email_kinds") if b.get("checked") is not None] == [
        "proposal_answer_needed"]
    [event] = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.entity_type == "user", AuditEvent.entity_id == user.id, AuditEvent.action == "update_profile"))
    assert event.actor_id == user.id
    assert event.data == {"full_name": ["Amina Odhiambo", "Amina W. Odhiambo"], "language": ["en", "fr"],
                          "email_kinds": {"proposal_ended": "in_app", "proposal_progress": "in_app"}}


def test_saving_an_unchanged_profile_records_nothing(client, login, session, provider):
    login(provider)
    response = client.post("/account", data={
        "csrf_token": csrf(client), "full_name": "Amina Odhiambo", "language": "en",
        "email_kinds": ["proposal_answer_needed", "proposal_progress", "proposal_ended"]})
    assert "Nothing changed." in response.text
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "update_profile")) == 0


@pytest.mark.parametrize(("form", "field", "message"), [
    ({"full_name": "", "language": "en"}, "full_name", "Enter the name."),
    ({"full_name": "A", "language": "en"}, "full_name", "at least 2 characters"),
    ({"full_name": "x" * 201, "language": "en"}, "full_name", "to 200 characters at most"),
    ({"full_name": "Amina\x00", "language": "en"}, "full_name", "cannot be stored"),
    ({"full_name": "Amina", "language": "de"}, "language", "Choose English or French."),
    ({"full_name": "Amina", "language": "en", "email_kinds": ["weekly_digest"]}, "email_kinds",
     "Choose among the kinds of event listed."),
])
def test_bad_input_is_shown_beside_its_field_and_nothing_is_saved(client, login, session, provider, form, field,
                                                                  message):
    login(provider)
    response = client.post("/account", data={"csrf_token": csrf(client), **form})
    assert response.status_code == 400
    doc = parse(response.text)
    error = doc.by_id(f"f-{field}-error")
    assert error is not None and message in error.text, response.text[:2000]
    assert doc.find("div", class_="error-summary") is not None
    # What was typed stays in the form to be corrected.
    if field == "full_name" and "\x00" not in form["full_name"]:
        assert doc.by_id("f-full_name").get("value") == form["full_name"]
    session.expire_all()
    user = session.get(User, provider.id)
    assert (user.full_name, user.language) == ("Amina Odhiambo", "en")
    assert session.scalar(sa.select(sa.func.count()).select_from(NotificationPreference)) == 0


def test_the_profile_is_for_signed_in_people_only(client):
    response = client.get("/account", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/account"


def test_a_person_may_leave_the_language_to_their_browser(client, login, session, provider):
    login(provider)
    response = client.post("/account", data={"csrf_token": csrf(client), "full_name": "Amina Odhiambo",
                                             "language": "", "email_kinds": []}, follow_redirects=False)
    assert response.status_code == 303
    session.refresh(provider)
    assert provider.language is None
