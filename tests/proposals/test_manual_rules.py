"""Matching by hand under the solver's hard rules: each rule refuses the pair, a written reason
overrides it, and the audit keeps which rules were overridden and why."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from capmatch.audit.models import AuditEvent
from capmatch.matching.core.policy import RunPolicy
from capmatch.matching.core.rules import RULES
from capmatch.matching.pipeline import prepare
from capmatch.organizations.models import Membership
from capmatch.proposals import service
from capmatch.proposals.models import Proposal
from tests.factories import make_need, make_offer, make_organization, put_proposal

from .conftest import audit_of


def au_only(session, world):
    au = make_organization(session, kind="regional_organization", country_iso3=None, may_request=True)
    for iso3 in ("SOM", "NGA", "ZAF"):
        session.add(Membership(organization_id=au.id, country_iso3=iso3))
    return {"eligible_members_of": (au.id,)}


def another_need_holds_the_offer(session, world, offer):
    put_proposal(session, make_need(session, requester_org_id=world.mission.id), offer, "approved")


# rule -> (need overrides, offer overrides, what to do once both exist); the factories' pair meets every rule.
CASES = {
    "area": ({}, {"areas": ["prosecution"]}, None),
    "capacity": ({}, {}, another_need_holds_the_offer),
    "language": ({"languages": {"fra": 5}}, {}, None),
    "arrival": ({}, {"lead_time_days": 200}, None),
    "window": ({}, {"available_until": date(2027, 6, 1)}, None),
    "duration": ({}, {"max_duration_months": 6}, None),
    "credentials": ({}, {"credentials_valid_until": date(2027, 5, 1)}, None),
    "provider_kind": ({"allowed_provider_kinds": ["ngo"]}, {}, None),
    "eligibility": (au_only, {}, None),
    "duty_national": ({"exclude_duty_nationals": True}, {"nationality_iso3": "SSD"}, None),
    "excluded": ({}, {}, lambda session, world, offer: None),  # the rejection is made below
}


def test_every_hard_rule_of_a_run_has_a_case():
    assert set(CASES) == set(RULES)


def pair_breaking(session, world, rule):
    need_values, offer_values, then = CASES[rule]
    if callable(need_values):
        need_values = need_values(session, world)
    need = make_need(session, requester_org_id=world.mission.id, **need_values)
    offer = make_offer(session, provider_org_id=world.agency.id, **offer_values)
    if then is not None:
        then(session, world, offer)
    if rule == "excluded":
        put_proposal(session, need, offer, "rejected", reason="Not this one.")
    return need, offer


def count_manual(session, need):
    return session.scalar(sa.select(sa.func.count()).select_from(Proposal).where(
        Proposal.need_id == need.id, Proposal.run_id.is_(None), Proposal.status == "proposed"))


@pytest.mark.parametrize("rule", RULES)
def test_a_manual_match_breaking_a_rule_is_refused_then_overridden_with_a_reason(session, world, rule):
    officer = world.actor("officer")
    need, offer = pair_breaking(session, world, rule)
    with pytest.raises(service.RulesBroken) as refused:
        service.create_manual_proposal(session, actor=officer, need_id=need.id, offer_id=offer.id,
                                       reason="The mission asked for this expert.")
    assert refused.value.check.broken == (rule,)
    assert refused.value.field == "override_reason" and rule in refused.value.message
    assert count_manual(session, need) == 0

    p = service.create_manual_proposal(session, actor=officer, need_id=need.id, offer_id=offer.id,
                                       reason="The mission asked for this expert.",
                                       override_reason="The host government waived it in writing.")
    assert (p.status, p.run_id) == ("proposed", None) and p.score > 0
    event = audit_of(session, p.id)[-1]
    assert (event.action, event.reason) == ("propose", "The mission asked for this expert.")
    assert event.data["overridden"] == [rule]
    assert event.data["override_reason"] == "The host government waived it in writing."


def test_a_blank_override_reason_is_no_override(session, world):
    need, offer = pair_breaking(session, world, "language")
    with pytest.raises(service.RulesBroken):
        service.create_manual_proposal(session, actor=world.actor("officer"), need_id=need.id, offer_id=offer.id,
                                       reason="Asked.", override_reason="   ")


def test_a_pair_meeting_every_rule_records_no_override(session, world):
    p = service.create_manual_proposal(session, actor=world.actor("officer"), need_id=world.need.id,
                                       offer_id=world.offer.id, reason="Asked.", override_reason="Not needed.")
    assert "overridden" not in audit_of(session, p.id)[-1].data


def test_the_manual_score_is_the_score_a_run_gives_the_same_pair(session, world):
    need = make_need(session, requester_org_id=world.mission.id, gender_target=0.5, languages={"eng": 3})
    offer = make_offer(session, provider_org_id=world.agency.id, years_experience=12)
    prepared = prepare(session, policy=RunPolicy(), scope={"need_ids": [need.id]}, today=date.today())
    (edge,) = [e for e in range(len(prepared.candidates))
               if prepared.offers.offer_id[prepared.candidates.offer[e]] == offer.id]
    p = service.create_manual_proposal(session, actor=world.actor("officer"), need_id=need.id, offer_id=offer.id,
                                       reason="Asked.")
    assert p.score == pytest.approx(float(prepared.scores.total[edge]), abs=1e-4)
    assert p.breakdown == pytest.approx(prepared.scores.breakdown(edge), abs=1e-4)
    assert p.breakdown["gender_balance"] == 0.75  # a woman, on a need asking for half women


def test_several_broken_rules_are_all_named(session, world):
    need = make_need(session, requester_org_id=world.mission.id, languages={"fra": 5},
                     allowed_provider_kinds=["ngo"])
    offer = make_offer(session, provider_org_id=world.agency.id, lead_time_days=200)
    check = service.check_manual_pair(session, actor=world.actor("officer"), need_id=need.id, offer_id=offer.id)
    assert check.broken == ("language", "arrival", "provider_kind")
    assert "French at C1" in check.facts["language"]
    assert check.facts["arrival"].endswith("needed by 1 Mar 2027")
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.entity_type == "proposal")) == 0, "checking writes nothing"
