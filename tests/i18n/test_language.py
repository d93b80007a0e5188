"""Which language a page is in: the signed-in user's preference, else the switcher's cookie, else
Accept-Language, else English; `<html lang>` and Content-Language say which."""

from __future__ import annotations

import sqlalchemy as sa

from capmatch.auth.models import User
from capmatch.web.language import COOKIE, request_language
from tests.factories import make_organization, make_user
from tests.web.html import csrf_of, parse


def nav(doc) -> list[str]:
    return [a.text for a in doc.find("nav").find_all("a")]


def test_english_unless_something_asks_for_french(client):
    response = client.get("/needs")
    doc = parse(response.text)
    assert doc.find("html").get("lang") == "en"
    assert response.headers["content-language"] == "en"
    assert "Needs" in nav(doc)


def test_the_browser_asks_for_french(client):
    response = client.get("/needs", headers={"Accept-Language": "fr-CH, fr;q=0.9, en;q=0.8"})
    doc = parse(response.text)
    assert doc.find("html").get("lang") == "fr"
    assert response.headers["content-language"] == "fr"
    assert "Accept-Language" in response.headers["vary"]
    assert nav(doc)[:2] == ["Besoins", "Offres"]


def test_accept_language_ranks_by_quality_and_skips_what_it_cannot_speak():
    assert request_language(None, "de, fr;q=0.5, en;q=0.9") == "en"
    assert request_language(None, "de-DE, es") == "en"
    assert request_language(None, "fr;q=0, en;q=0.1") == "en"
    assert request_language(None, "fr-CA;q=0.8, de;q=1") == "fr"
    assert request_language(None, "fr;q=abc, en") == "en"
    assert request_language(f"{COOKIE}=fr", "en") == "fr"
    assert request_language(f"{COOKIE}=xx", "fr") == "fr"
    assert request_language('bad"cookie; ===', None) == "en"


def test_a_visitor_switches_with_a_link_kept_in_a_cookie(client):
    doc = parse(client.get("/needs?urgency=high").text)
    switch = doc.find("a", hreflang="fr")
    assert switch.text == "Français" and switch.get("lang") == "fr"
    response = client.get(switch.get("href"), follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/needs?urgency=high"
    assert f"{COOKIE}=fr" in response.headers["set-cookie"]
    doc = parse(client.get("/needs", headers={"Accept-Language": "en"}).text)
    assert doc.find("html").get("lang") == "fr"
    assert doc.find("a", hreflang="en").text == "English"


def test_the_switcher_sends_nobody_to_another_site_and_knows_its_languages(client):
    assert client.get("/language/fr?next=//evil.example", follow_redirects=False).headers["location"] == "/"
    response = client.get("/language/de")
    assert response.status_code == 404


def test_a_signed_in_persons_preference_comes_first_and_the_switcher_changes_it(client, login, session):
    ministry = make_organization(session, name="Ministry of Justice of Mali", kind="host_government_ministry",
                                 country_iso3="MLI", may_request=True, may_provide=False)
    user = make_user(session, role="requester", organization_id=ministry.id)
    user.language = "fr"
    login(user)
    client.cookies.set(COOKIE, "en")
    doc = parse(client.get("/needs", headers={"Accept-Language": "en"}).text)
    assert doc.find("html").get("lang") == "fr" and "Mes besoins" in nav(doc)
    form = doc.find("form", class_="language-switch")
    response = client.post(form.get("action"), data={"csrf_token": csrf_of(doc), "language": "en", "next": "/needs"},
                           follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/needs"
    session.expire_all()
    assert session.scalar(sa.select(User.language).where(User.id == user.id)) == "en"
    assert parse(client.get("/needs", headers={"Accept-Language": "fr"}).text).find("html").get("lang") == "en"


def test_the_switchers_form_needs_its_csrf_token(client, login, session):
    user = make_user(session, role="officer")
    login(user)
    response = client.post("/language", data={"language": "fr"}, follow_redirects=False)
    assert response.status_code == 403
    session.expire_all()
    assert session.scalar(sa.select(User.language).where(User.id == user.id)) is None


def test_a_signed_in_person_who_chose_no_language_reads_what_their_browser_asks_for(client, login, session):
    user = make_user(session, role="officer")
    assert user.language is None
    login(user)
    assert parse(client.get("/needs", headers={"Accept-Language": "fr"}).text).find("html").get("lang") == "fr"
    assert parse(client.get("/needs", headers={"Accept-Language": "en"}).text).find("html").get("lang") == "en"
    # The profile offers that choice by name, and keeps it.
    doc = parse(client.get("/account", headers={"Accept-Language": "en"}).text)
    chosen = doc.find("select", name="language").find("option", selected=True)
    assert chosen is not None and chosen.get("value") == "" and chosen.text == "As my browser asks"


def test_the_frameworks_own_refusals_are_said_in_the_readers_language(client):
    page = client.get("/nowhere", headers={"Accept-Language": "fr"})
    assert page.status_code == 404 and "Il n’y a rien à cette adresse." in page.text and "Not Found" not in page.text
    refused = client.request("PATCH", "/healthz", headers={"Accept-Language": "en"})
    assert refused.status_code == 405 and "This address does not accept that kind of request." in refused.text
