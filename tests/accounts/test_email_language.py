"""Account e-mails are written in their recipient's language, whatever language the page that sent them
speaks: a person's chosen language (none chosen: English); an invitation, to someone without an account
yet, in the language of the person inviting."""

from __future__ import annotations

from email.header import decode_header, make_header

import sqlalchemy as sa
from babel.dates import get_month_names
from fastapi.testclient import TestClient

from capmatch.accounts.models import AccountLink
from capmatch.i18n import use
from capmatch.i18n.formats import moment
from tests.accounts.conftest import link_in
from tests.factories import make_organization, make_user
from tests.web.html import csrf_of, parse

FRENCH, ENGLISH = {"Accept-Language": "fr"}, {"Accept-Language": "en"}


def ask_for_reset(client, email: str, headers: dict[str, str]) -> None:
    token = csrf_of(parse(client.get("/password/forgot", headers=headers).text))
    response = client.post("/password/forgot", headers=headers, data={"csrf_token": token, "email": email})
    assert response.status_code == 200, response.text


def subject_of(header: str) -> str:
    return str(make_header(decode_header(header)))


def expiry_of(session, user_id: int):
    return session.scalar(sa.select(AccountLink.expires_at).where(AccountLink.user_id == user_id))


def test_a_reset_link_reaches_a_french_reader_in_french_with_a_french_date(client, session, mailbox):
    user = make_user(session, role="officer", language="fr")
    session.commit()
    ask_for_reset(client, user.email, ENGLISH)  # asked from an English page: the mail is still theirs
    [(to, subject, text)] = mailbox()
    with use("fr"):
        until = moment(expiry_of(session, user.id))
    assert to == user.email
    assert subject_of(subject) == "[CapMatch] Réinitialisez votre mot de passe"
    assert text.startswith("Quelqu’un a demandé à réinitialiser le mot de passe de votre compte CapMatch.")
    assert f"jusqu’au {until}." in text and " à " in until and "UTC" in until
    assert until.split()[1] in get_month_names("wide", locale="fr").values()  # "4 décembre 2026 à 21:10 UTC"
    assert text.rstrip().endswith("Le Secrétariat de CapMatch")
    assert "The link" not in text


def test_a_reset_link_reaches_someone_who_chose_no_language_in_english(client, session, mailbox):
    user = make_user(session, role="officer")  # language: none chosen
    session.commit()
    ask_for_reset(client, user.email, FRENCH)  # asked from a French page: an e-mail cannot ask their browser
    [(to, subject, text)] = mailbox()
    with use("en"):
        until = moment(expiry_of(session, user.id))
    assert subject_of(subject) == "[CapMatch] Reset your password"
    assert f"The link works once, until {until}." in text
    assert text.rstrip().endswith("The CapMatch secretariat")
    assert "Quelqu" not in text


def test_an_invitation_is_written_in_the_inviters_language(app, client, session, login, mailbox):
    agency = make_organization(session, country_iso3="KEN")
    focal = make_user(session, role="provider", organization_id=agency.id, is_focal_point=True, language="fr")
    login(focal)
    page = client.get(f"/organizations/{agency.id}/people")
    response = client.post(f"/organizations/{agency.id}/invitations", follow_redirects=False, data={
        "csrf_token": csrf_of(parse(page.text)), "email": "nia@agency.example", "role": "provider"})
    assert response.status_code == 303, response.text
    [(to, subject, text)] = mailbox()
    assert subject_of(subject) == f"[CapMatch] Vous êtes invité sur CapMatch pour {agency.name}"
    assert text.startswith(f"{focal.email} vous invite sur CapMatch pour {agency.name}.")
    assert "Vous présenterez les experts et les offres de votre organisation" in text
    with TestClient(app) as invitee:  # the link's page speaks the invitee's browser's language
        page = parse(invitee.get(link_in(text), headers=FRENCH).text)
    assert page.find("h1").text == "Rejoindre CapMatch"
    assert page.by_id("main").find("p").text == (
        f"Vous êtes invité en tant que fournisseur pour {agency.name}. Votre compte se connectera avec "
        "nia@agency.example.")
