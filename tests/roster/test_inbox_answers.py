"""Both inboxes answer in one click (Accept, Confirm release), open the reason box only for Decline,
and say why each match was made, the provider's card laid out like the requester's."""

from __future__ import annotations

from capmatch.matching.core.policy import COMPONENTS
from capmatch.proposals.models import Proposal
from tests.factories import breakdown, make_need, make_offer
from tests.web.html import csrf_of, parse


def approved(session, world) -> Proposal:
    offer = make_offer(session, provider_org_id=world.kenya.id, title="Corrections adviser", reserved=1)
    need = make_need(session, requester_org_id=world.mission.id, title="Prison reform adviser, Juba")
    proposal = Proposal(need_id=need.id, offer_id=offer.id, score=0.8,
                        breakdown={**breakdown(0.5), "skills": 0.9}, status="approved")
    session.add(proposal)
    session.flush()
    return proposal


def reason_box(card):
    box = card.find("details", class_="decline-box")
    return box, box.find("textarea", name="reason")


def test_the_provider_confirms_in_one_click_and_the_reason_box_opens_only_to_decline(client, login, session, world):
    proposal = approved(session, world)
    login(world.provider)
    doc = parse(client.get("/provider/proposals").text)
    card = doc.by_id(f"proposal-{proposal.id}")
    assert card.tag == "article" and doc.find("ul", class_="cards") is None  # no list bullet beside the card
    confirm = card.find("form", class_="inline")
    assert [b.text for b in confirm.find_all("button")] == ["Confirm release"] and confirm.find("textarea") is None
    box, textarea = reason_box(card)
    assert "open" not in box.attrs and textarea is not None
    assert box.find("summary").text.startswith("Decline")
    why = card.find("details", class_="why")
    assert why.find("summary").text == "Why this match"
    assert len(why.find("ul", class_="bars").find_all("li")) == len(COMPONENTS)
    assert "Match" in card.text and "out of 100" in card.text

    refused = client.post(f"/provider/proposals/{proposal.id}",
                          data={"csrf_token": csrf_of(doc), "action": "decline", "reason": ""})
    assert refused.status_code == 400
    box, _ = reason_box(parse(refused.text).by_id(f"proposal-{proposal.id}"))
    assert "open" in box.attrs  # the missing reason is asked for where it is typed

    done = client.post(f"/provider/proposals/{proposal.id}",
                       data={"csrf_token": csrf_of(doc), "action": "confirm"}, follow_redirects=False)
    assert done.status_code == 303
    session.expire_all()
    assert session.get(Proposal, proposal.id).status == "confirmed"


def test_the_requester_accepts_in_one_click_and_sees_why_this_match(client, login, session, world):
    proposal = approved(session, world)
    login(world.requester)
    doc = parse(client.get("/my/proposals").text)
    assert doc.find("nav", aria_label="Main").find("a", href="/my/deployed").text == "Deployed experts"
    card = doc.by_id(f"proposal-{proposal.id}")
    accept = card.find("form", action=f"/my/proposals/{proposal.id}/accept")
    assert accept.find("textarea") is None and len(accept.find_all("button")) == 1
    box, textarea = reason_box(card)
    assert "open" not in box.attrs and textarea.get("id") == f"f-reason-{proposal.id}"
    assert card.find("details", class_="why").find("summary").text == "Why this match"

    refused = client.post(f"/my/proposals/{proposal.id}/decline", data={"csrf_token": csrf_of(doc), "reason": ""})
    assert refused.status_code == 400
    box, _ = reason_box(parse(refused.text).by_id(f"proposal-{proposal.id}"))
    assert "open" in box.attrs and box.find("p", class_="error") is not None

    done = client.post(f"/my/proposals/{proposal.id}/accept", data={"csrf_token": csrf_of(doc)},
                       follow_redirects=False)
    assert done.status_code == 303
    session.expire_all()
    assert session.get(Proposal, proposal.id).status == "accepted"
