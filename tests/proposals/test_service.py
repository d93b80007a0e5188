"""The workflow against the real database: counters, need status, audit, access, manual and bulk matching."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from capmatch.auth.actor import Actor
from capmatch.errors import Conflict, Forbidden, InvalidInput, NotAuthenticated, NotFound
from capmatch.matching.core.policy import COMPONENTS
from capmatch.offers.queries import get_offer
from capmatch.pagination import PageRequest
from capmatch.proposals import service
from capmatch.proposals.queries import ProposalFilters, get_proposal, list_proposals
from tests.factories import make_need, make_offer, put_proposal

from .conftest import audit_of, reload

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def act(session, world, who, proposal, action, **kw):
    return service.act(session, actor=world.actor(who), proposal_id=proposal.id, action=action, now=NOW, **kw)


def test_approval_reserves_the_offer_fills_the_need_and_starts_a_deadline(session, world):
    p = put_proposal(session, world.need, world.offer)
    act(session, world, "officer", p, "approve")
    p, offer, need = reload(session, p), reload(session, world.offer), reload(session, world.need)
    assert (p.status, offer.reserved, offer.status, need.status) == ("approved", 1, "reserved", "filled")
    assert p.deadline_at == NOW + timedelta(days=14)
    [event] = audit_of(session, p.id)
    assert (event.action, event.from_state, event.to_state, event.actor_id) == (
        "approve", "proposed", "approved", world.officer.id)


@pytest.mark.parametrize("order", [("accept", "confirm"), ("confirm", "accept")])
def test_both_consents_in_either_order_make_it_agreed_without_a_deadline(session, world, order):
    p = put_proposal(session, world.need, world.offer, "approved")
    who = {"accept": "requester", "confirm": "provider"}
    first = act(session, world, who[order[0]], p, order[0])
    assert first.status == ("accepted" if order[0] == "accept" else "confirmed")
    assert first.deadline_at == NOW + timedelta(days=14)
    second = act(session, world, who[order[1]], p, order[1])
    assert (second.status, second.deadline_at) == ("agreed", None)
    assert reload(session, world.offer).reserved == 1


def test_the_whole_way_to_completion_then_the_offer_is_free_again(session, world):
    p = put_proposal(session, world.need, world.offer)
    for who, action in (("officer", "approve"), ("requester", "accept"), ("provider", "confirm"),
                        ("provider", "deploy")):
        act(session, world, who, p, action)
    assert reload(session, world.offer).status == "deployed"
    act(session, world, "requester", p, "complete", appraisal=5)
    p, offer, need = reload(session, p), reload(session, world.offer), reload(session, world.need)
    assert (p.status, p.appraisal) == ("completed", 5)
    assert (offer.reserved, offer.status) == (0, "available")
    assert need.status == "filled"  # a completed assignment still filled the position
    assert [e.action for e in audit_of(session, p.id)] == ["approve", "accept", "confirm", "deploy", "complete"]


def test_a_decline_releases_the_offer_and_reopens_the_need(session, world):
    p = put_proposal(session, world.need, world.offer, "approved")
    act(session, world, "provider", p, "decline", reason="The expert is on leave.")
    p, offer, need = reload(session, p), reload(session, world.offer), reload(session, world.need)
    assert (p.status, p.reason, p.deadline_at) == ("declined", "The expert is on leave.", None)
    assert (offer.reserved, offer.status, need.status) == (0, "available", "open")
    assert audit_of(session, p.id)[-1].reason == "The expert is on leave."


def test_a_need_with_two_positions_is_partially_filled_by_one(session, world):
    need = make_need(session, requester_org_id=world.mission.id, positions=2)
    p = put_proposal(session, need, world.offer)
    act(session, world, "officer", p, "approve")
    assert reload(session, need).status == "partially_filled"
    act(session, world, "officer", p, "withdraw", reason="Mission mandate changed.")
    assert reload(session, need).status == "open"


def test_an_offer_at_capacity_cannot_be_approved_for_a_second_need(session, world):
    other_need = make_need(session, requester_org_id=world.mission.id)
    put_proposal(session, world.need, world.offer, "approved")
    second = put_proposal(session, other_need, world.offer)
    with pytest.raises(Conflict, match="already reserved"):
        act(session, world, "officer", second, "approve")
    assert reload(session, second).status == "proposed"
    assert reload(session, world.offer).reserved == 1


def test_a_filled_need_takes_no_further_approval(session, world):
    other_offer = make_offer(session, provider_org_id=world.agency.id)
    put_proposal(session, world.need, world.offer, "agreed")
    second = put_proposal(session, world.need, other_offer)
    with pytest.raises(Conflict, match="of the need (is|are) already taken"):
        act(session, world, "officer", second, "approve")


def test_forbidden_transitions_name_the_current_state(session, world):
    p = put_proposal(session, world.need, world.offer, "declined")
    with pytest.raises(Conflict, match="declined"):
        act(session, world, "officer", p, "approve")


def test_the_wrong_side_is_forbidden_and_another_organization_sees_nothing(session, world):
    p = put_proposal(session, world.need, world.offer, "approved")
    with pytest.raises(Forbidden):
        act(session, world, "provider", p, "accept")
    with pytest.raises(NotFound):
        act(session, world, "rival_provider", p, "confirm")
    with pytest.raises(NotFound):
        get_proposal(session, actor=world.actor("rival_requester"), proposal_id=p.id)
    with pytest.raises(NotAuthenticated):
        service.act(session, actor=None, proposal_id=p.id, action="accept")


@pytest.mark.parametrize(("action", "kw", "field"), [
    ("reject", {}, "reason"), ("decline", {"reason": "  "}, "reason"), ("withdraw", {}, "reason"),
    ("complete", {}, "appraisal"), ("complete", {"appraisal": 6}, "appraisal"),
    ("approve", {"appraisal": 3}, "appraisal"), ("bless", {}, "action"),
])
def test_missing_reasons_and_bad_appraisals_are_invalid_input(session, world, action, kw, field):
    p = put_proposal(session, world.need, world.offer)
    with pytest.raises(InvalidInput) as caught:
        act(session, world, "officer", p, action, **kw)
    assert caught.value.field == field


def test_the_requester_sees_the_experts_identity_only_once_the_provider_confirmed(session, world):
    p = put_proposal(session, world.need, world.offer, "approved")
    requester = world.actor("requester")
    assert get_offer(session, actor=requester, offer_id=world.offer.id).personal is None
    act(session, world, "requester", p, "accept")
    assert get_offer(session, actor=requester, offer_id=world.offer.id).personal is None
    act(session, world, "provider", p, "confirm")
    assert get_offer(session, actor=requester, offer_id=world.offer.id).personal.expert_name == \
        world.offer.expert_name
    # ... and only the requester of that need.
    assert get_offer(session, actor=world.actor("rival_requester"), offer_id=world.offer.id).personal is None


def test_bulk_approval_is_all_or_nothing(session, world):
    needs = [make_need(session, requester_org_id=world.mission.id) for _ in range(2)]
    first, second = (put_proposal(session, n, world.offer) for n in needs)  # capacity 1: one too many
    with pytest.raises(Conflict, match=f"Proposal {second.id}"):
        service.act_on_many(session, actor=world.actor("officer"), proposal_ids=[first.id, second.id],
                            action="approve")
    assert [reload(session, p).status for p in (first, second)] == ["proposed", "proposed"]
    assert reload(session, world.offer).reserved == 0
    assert audit_of(session, first.id) == []


def test_bulk_rejection_changes_every_proposal(session, world):
    offers = [make_offer(session, provider_org_id=world.agency.id) for _ in range(3)]
    proposals = [put_proposal(session, world.need, o) for o in offers]
    done = service.act_on_many(session, actor=world.actor("officer"), proposal_ids=[p.id for p in proposals],
                               action="reject", reason="Better candidates are coming.")
    assert [p.status for p in done] == ["rejected"] * 3


def test_an_officer_matches_by_hand_with_the_solvers_score(session, world):
    p = service.create_manual_proposal(session, actor=world.actor("officer"), need_id=world.need.id,
                                       offer_id=world.offer.id, reason="Known to the mission.")
    assert (p.status, p.run_id, p.created_by_id) == ("proposed", None, world.officer.id)
    # The need sets no gender target, so the breakdown has every component but that one.
    assert set(p.breakdown) == set(COMPONENTS) - {"gender_balance"}
    assert p.breakdown["skills"] == 1.0 and 0 < p.score <= 1.5
    assert audit_of(session, p.id)[0].action == "propose"
    with pytest.raises(Conflict, match="already pairs"):
        service.create_manual_proposal(session, actor=world.actor("officer"), need_id=world.need.id,
                                       offer_id=world.offer.id, reason="Again.")


def test_matching_by_hand_refuses_what_no_override_can_mend(session, world):
    officer = world.actor("officer")
    closed = make_need(session, requester_org_id=world.mission.id, status="closed")
    with pytest.raises(Conflict, match="closed"):
        service.create_manual_proposal(session, actor=officer, need_id=closed.id, offer_id=world.offer.id,
                                       reason="x", override_reason="Even so.")
    withdrawn = make_offer(session, provider_org_id=world.agency.id, status="withdrawn")
    with pytest.raises(Conflict, match="withdrawn"):
        service.create_manual_proposal(session, actor=officer, need_id=world.need.id, offer_id=withdrawn.id,
                                       reason="x", override_reason="Even so.")
    with pytest.raises(InvalidInput):
        service.create_manual_proposal(session, actor=officer, need_id=world.need.id, offer_id=10**9,
                                       reason="x")
    with pytest.raises(InvalidInput):
        service.create_manual_proposal(session, actor=officer, need_id=world.need.id, offer_id=world.offer.id,
                                       reason=" ")
    with pytest.raises(Forbidden):
        service.create_manual_proposal(session, actor=world.actor("requester"), need_id=world.need.id,
                                       offer_id=world.offer.id, reason="x")


def test_lists_are_scoped_to_each_side(session, world):
    mine = put_proposal(session, world.need, world.offer)
    rival_offer = make_offer(session, provider_org_id=world.rival_agency.id)
    rival_need = make_need(session, requester_org_id=world.rival_mission.id)
    theirs = put_proposal(session, rival_need, rival_offer)

    def ids(who, **filters):
        records, total = list_proposals(session, actor=world.actor(who), filters=ProposalFilters(**filters),
                                        page=PageRequest())
        assert total == len(records)
        return {r.id for r in records}

    assert ids("officer") == {mine.id, theirs.id}
    assert ids("requester") == {mine.id}
    assert ids("provider") == {mine.id}
    assert ids("rival_provider") == {theirs.id}
    assert ids("officer", need=rival_need.id) == {theirs.id}
    assert ids("officer", offer=world.offer.id, status=("proposed",)) == {mine.id}
    assert ids("officer", status=("approved",)) == set()
    record = get_proposal(session, actor=world.actor("officer"), proposal_id=mine.id)
    assert record.actions == ("approve", "reject")
    assert get_proposal(session, actor=world.actor("requester"), proposal_id=mine.id).actions == ()


def test_a_system_actor_that_is_no_person_is_recorded_without_a_user(session, world):
    p = put_proposal(session, world.need, world.offer)
    script = Actor(user_id=0, role="admin", organization_id=None)
    service.act(session, actor=script, proposal_id=p.id, action="approve")
    assert audit_of(session, p.id)[0].actor_id is None
