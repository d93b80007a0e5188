"""The manual match form and API under the hard rules: the rules broken in words, the refusal, the
override with a written reason; and the demo's AU-only need refusing a non-AU expert."""

from __future__ import annotations

import sqlalchemy as sa

from capmatch.audit.models import AuditEvent
from capmatch.auth.actor import Actor
from capmatch.models import Need, NeedEligibleGrouping, Offer, Organization
from capmatch.organizations.models import Membership
from capmatch.proposals import service
from capmatch.proposals.models import Proposal
from capmatch.seed.demo import load_demo
from capmatch.web.labels import RULE_LABELS, RULES_BROKEN_MESSAGE
from tests.factories import make_need, make_offer
from tests.officer.conftest import post
from tests.web.html import parse


def french_need_and_english_expert(session):
    return make_need(session, languages={"fra": 5}), make_offer(session)


def test_the_form_states_the_rules_a_pair_breaks_before_anything_is_posted(as_officer, session):
    need, offer = french_need_and_english_expert(session)
    session.commit()
    doc = parse(as_officer.get(f"/officer/match?need_id={need.id}&offer_id={offer.id}").text)
    item = doc.by_id("rule-language")
    assert item.text.startswith(RULE_LABELS["language"]) and "French at C1" in item.text
    assert doc.find("textarea", name="override_reason") is not None
    assert float(doc.by_id("pair-score").text) > 0


def test_a_pair_meeting_every_rule_asks_for_no_override(as_officer, session):
    need, offer = make_need(session), make_offer(session)
    session.commit()
    doc = parse(as_officer.get(f"/officer/match?need_id={need.id}&offer_id={offer.id}").text)
    assert doc.by_id("rules-met") is not None
    assert doc.find("textarea", name="override_reason") is None


def test_a_breaking_pair_is_refused_then_made_with_a_written_override(as_officer, session):
    need, offer = french_need_and_english_expert(session)
    form = {"need_id": str(need.id), "offer_id": str(offer.id), "reason": "Asked for by name."}
    response = post(as_officer, "/officer/match", form)
    assert response.status_code == 400
    doc = parse(response.text)
    assert doc.by_id("f-override_reason-error").text == "Error: " + RULES_BROKEN_MESSAGE
    assert doc.by_id("rule-language") is not None
    assert doc.find("textarea", name="reason").text == "Asked for by name."
    assert session.scalar(sa.select(sa.func.count()).select_from(Proposal)) == 0

    response = post(as_officer, "/officer/match", {**form, "override_reason": "She interprets; the mission agrees."})
    assert response.status_code == 303, response.text
    proposal = session.scalar(sa.select(Proposal).where(Proposal.need_id == need.id))
    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.entity_type == "proposal",
                                                       AuditEvent.entity_id == proposal.id))
    assert event.data["overridden"] == ["language"]
    assert event.data["override_reason"] == "She interprets; the mission agrees."


def test_the_api_refuses_a_breaking_pair_naming_the_override_field_then_takes_the_reason(client, session, bearer,
                                                                                        officer):
    need, offer = french_need_and_english_expert(session)
    headers = bearer(officer)
    session.commit()  # the refusal rolls the request's work back; the token and the rows stay
    body = {"need_id": need.id, "offer_id": offer.id, "reason": "Asked for by name."}
    response = client.post("/api/v1/proposals", json=body, headers=headers)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["fields"][0]["field"] == "override_reason" and "language" in error["message"]
    response = client.post("/api/v1/proposals", json={**body, "override_reason": "The mission agrees."},
                           headers=headers)
    assert response.status_code == 201, response.text
    assert response.json()["run_id"] is None and response.json()["score"] > 0


def test_on_the_demo_an_au_only_need_refuses_a_non_au_expert_without_an_override(session, officer):
    load_demo(session)
    au = session.scalar(sa.select(Organization).where(Organization.acronym == "AU"))
    amisom = session.scalar(sa.select(Organization).where(Organization.acronym == "AMISOM"))
    need = session.scalars(sa.select(Need).where(Need.requester_org_id == amisom.id, Need.status == "open")
                           .order_by(Need.id)).first()
    members = sa.select(Membership.country_iso3).where(Membership.organization_id == au.id)
    outsider = session.scalars(sa.select(Offer).where(
        Offer.status == "available", Offer.nationality_iso3.is_not(None), Offer.nationality_iso3.not_in(members))
        .order_by(Offer.id)).first()
    groupings = sa.select(NeedEligibleGrouping.organization_id).where(NeedEligibleGrouping.need_id == need.id)
    assert list(session.scalars(groupings)) == [au.id] and outsider is not None
    actor = Actor(user_id=officer.id, role="officer", organization_id=None, email=officer.email)
    try:
        service.create_manual_proposal(session, actor=actor, need_id=need.id, offer_id=outsider.id,
                                       reason="Asked for by name.")
    except service.RulesBroken as refused:
        assert "eligibility" in refused.check.broken
        assert refused.check.facts["eligibility"] == au.name
    else:
        raise AssertionError("an AU-only need took a non-AU expert without an override")
    made = service.create_manual_proposal(session, actor=actor, need_id=need.id, offer_id=outsider.id,
                                          reason="Asked for by name.", override_reason="The AU Commission agreed.")
    assert made.id is not None
