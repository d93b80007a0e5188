"""The sign-in page in French: its words, and the error a wrong password gets."""

from __future__ import annotations

from tests.factories import make_user
from tests.web.html import csrf_of, parse

FRENCH = {"Accept-Language": "fr"}


def test_a_french_visitor_reads_the_sign_in_page_and_its_error_in_french(client, session):
    user = make_user(session, role="officer")
    session.commit()
    page = client.get("/login", headers=FRENCH)
    doc = parse(page.text)
    assert doc.find("html").get("lang") == "fr"
    assert doc.find("h1").text == "Se connecter"
    assert doc.find("label", for_="f-password").text.startswith("Mot de passe")
    refused = client.post("/login", headers=FRENCH, follow_redirects=False, data={
        "email": user.email, "password": "not-the-password-at-all", "csrf_token": csrf_of(doc)})
    assert refused.status_code == 400
    summary = parse(refused.text).find("div", class_="error-summary")
    assert summary.find("h2").text == "Il y a un problème"
    assert summary.find("li").text.strip() == "L’adresse électronique ou le mot de passe est incorrect."
    assert "not right" not in refused.text


def test_the_same_error_reads_in_english_without_a_language_asked(client, session):
    user = make_user(session, role="officer")
    session.commit()
    doc = parse(client.get("/login").text)
    refused = client.post("/login", follow_redirects=False, data={
        "email": user.email, "password": "not-the-password-at-all", "csrf_token": csrf_of(doc)})
    summary = parse(refused.text).find("div", class_="error-summary")
    assert summary.find("li").text.strip() == "The e-mail address or the password is not right."
