"""Proposals in French: the inbox a French-speaking requester reads, and the notices of an approval,
each written in its recipient's language whatever the language of the officer who approved."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from capmatch.auth.actor import Actor
from capmatch.config import Settings
from capmatch.i18n import use
from capmatch.notifications import mail
from capmatch.notifications.models import Notification
from capmatch.proposals import service
from tests.factories import put_proposal
from tests.i18n.english import leftovers
from tests.web.html import parse

DUE = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_a_french_requester_reads_the_inbox_in_french_with_french_dates(login, client, session, world):
    p = put_proposal(session, world.need, world.offer, "approved")
    p.deadline_at = DUE
    world.requester.language = "fr"
    login(world.requester)
    doc = parse(client.get("/my/proposals").text)
    assert doc.find("html").get("lang") == "fr"
    assert doc.find("h1").text == "Propositions pour mes besoins"
    assert [li.text for li in doc.find("nav", class_="tabs").find_all("li")] == [
        "En attente de votre réponse (1)", "Acceptées, en attente du fournisseur (0)"]
    assert doc.find("p", class_="count").text == "1 proposition"
    card = doc.by_id(f"proposal-{p.id}")
    assert "réponse attendue d’ici le 1er décembre 2026" in card.text
    assert f"Ouvrir la proposition {p.id}" in card.text
    # The card's own words, once the records' titles and names are set aside, hold no English.
    typed = [world.need.title, world.offer.title, world.agency.name, world.agency.acronym or ""]
    assert leftovers(card.text, typed) == []


def test_an_approval_is_told_in_french_to_a_french_speaker_and_in_english_to_an_english_one(session, world):
    world.requester.language = "fr"
    world.provider.language = "en"
    p = put_proposal(session, world.need, world.offer)
    officer = Actor(user_id=world.officer.id, role="officer", organization_id=None, email=world.officer.email)
    with use("fr"):  # the officer's own language changes nothing for the recipients
        service.act(session, actor=officer, proposal_id=p.id, action="approve", now=DUE)
    notes = {n.user_id: n for n in session.scalars(sa.select(Notification))}
    french, english = notes[world.requester.id], notes[world.provider.id]
    assert french.subject.startswith(f"La proposition {p.id} est approuvée\u00a0: votre réponse est attendue")
    assert "Les deux organisations donnent maintenant leur réponse d’ici le 15 décembre 2026." in french.body
    assert english.subject.startswith(f"Proposal {p.id} is approved: your answer is needed")
    assert "Both organizations now give their answer by 15 Dec 2026." in english.body

    settings = Settings(public_url="https://capmatch.test")
    for note, language, words in ((french, "fr", "Pour l’ouvrir dans CapMatch\u00a0: "),
                                  (english, None, "Open it in CapMatch: ")):
        item = mail.Outgoing(note.id, "x@capmatch.test", note.subject, note.body or "", note.link, language)
        text = mail.build_message(item, settings=settings).get_content()
        assert f"{words}https://capmatch.test/proposals/{p.id}" in text
        assert "https://capmatch.test/account" in text
