"""Closing a need ends its proposals short of deployment through the workflow, as cancelling does,
and leaves the experts deployed on it where they are."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from capmatch.audit.models import AuditEvent
from capmatch.errors import Conflict, Forbidden, InvalidInput
from capmatch.needs.schemas import NeedUpdate
from capmatch.needs.service import cancel_need, close_need, update_need
from capmatch.offers.models import Offer
from capmatch.proposals import service
from tests.factories import make_need, make_offer, put_proposal

from .conftest import audit_of, inbox, one_of_each, reload, told

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def close(session, world, who="requester", need=None, reason="Filled through a bilateral agreement."):
    return close_need(session, actor=world.actor(who), need_id=(need or world.need).id, reason=reason, now=NOW)


def need_events(session, need):
    return list(session.scalars(sa.select(AuditEvent).where(
        AuditEvent.entity_type == "need", AuditEvent.entity_id == need.id).order_by(AuditEvent.id)))


def serving(session, world, status="deployed"):
    """A need for two: one expert `status` (deployed or completed), one proposal approved."""
    need = make_need(session, requester_org_id=world.mission.id, positions=2)
    served = put_proposal(session, need, world.offer, status)
    approved = put_proposal(session, need, make_offer(session, provider_org_id=world.agency.id), "approved")
    return need, served, approved


def test_closing_a_need_withdraws_every_proposal_short_of_deployment_and_frees_its_offer(session, world):
    need, proposals, declined = one_of_each(session, world)
    close(session, world, need=need)
    assert reload(session, need).status == "closed"
    for p in proposals.values():
        p = reload(session, p)
        offer = session.get(Offer, p.offer_id)
        assert (p.status, p.reason, p.deadline_at) == (
            "withdrawn", "Need closed: Filled through a bilateral agreement.", None)
        assert (offer.reserved, offer.status) == (0, "available")
    assert reload(session, declined).status == "declined"


def test_closing_leaves_a_deployed_expert_deployed_and_their_place_held(session, world):
    need, deployed, approved = serving(session, world)
    close(session, world, need=need)
    assert reload(session, need).status == "closed"
    assert (reload(session, deployed).status, reload(session, approved).status) == ("deployed", "withdrawn")
    offer = reload(session, world.offer)
    assert (offer.reserved, offer.status) == (1, "deployed")
    assert audit_of(session, deployed.id) == []


def test_a_deployment_on_a_closed_need_is_completed_as_usual_and_the_need_stays_closed(session, world):
    need, deployed, _ = serving(session, world)
    close(session, world, need=need)
    service.act(session, actor=world.actor("requester"), proposal_id=deployed.id, action="complete", appraisal=5,
                now=NOW)
    assert reload(session, deployed).status == "completed"
    assert reload(session, world.offer).reserved == 0
    assert reload(session, need).status == "closed"


def test_each_withdrawal_is_audited_as_closing_the_need_and_the_need_says_what_it_withdrew(session, world):
    need, deployed, approved = serving(session, world)
    close(session, world, need=need, reason="Enough experts.")
    [event] = audit_of(session, approved.id)
    assert (event.action, event.from_state, event.to_state, event.actor_id, event.reason) == (
        "close_need", "approved", "withdrawn", world.requester.id, "Need closed: Enough experts.")
    [need_event] = need_events(session, need)
    assert (need_event.action, need_event.from_state, need_event.to_state, need_event.reason) == (
        "close", "filled", "closed", "Enough experts.")
    assert need_event.data == {"withdrawn_proposals": [approved.id]}


def test_the_provider_hears_the_need_was_closed_and_why(session, world):
    p = put_proposal(session, world.need, world.offer, "agreed")
    close(session, world, reason="Found locally.")
    [note] = inbox(session, world.provider)
    assert note.subject.startswith(f"Proposal {p.id} is withdrawn: the need was closed")
    assert "The requesting organization closed the need" in note.body and "Found locally." in note.body
    assert told(session, world) == {"provider", "provider_colleague", "officer"}


def test_an_officer_may_close_for_the_requester_without_a_reason(session, world):
    p = put_proposal(session, world.need, world.offer, "accepted")
    close(session, world, who="officer", reason="  ")
    p = reload(session, p)
    assert (p.status, p.reason) == ("withdrawn", "Need closed.")
    assert audit_of(session, p.id)[0].data["party"] == "officer"


@pytest.mark.parametrize("status", ["deployed", "completed"])
def test_a_need_that_cannot_be_cancelled_because_of_an_expert_can_be_closed(session, world, status):
    need, served, approved = serving(session, world, status)
    with pytest.raises(Conflict, match="Close the need instead"):
        cancel_need(session, actor=world.actor("requester"), need_id=need.id, now=NOW)
    assert close(session, world, need=need).status == "closed"
    assert (reload(session, served).status, reload(session, approved).status) == (status, "withdrawn")


@pytest.mark.parametrize(("status", "message"), [
    ("draft", "cancel it instead"),
    ("closed", "already closed"),
    ("cancelled", "already cancelled"),
])
def test_only_a_published_need_can_be_closed(session, world, status, message):
    need = make_need(session, requester_org_id=world.mission.id, status=status)
    session.commit()
    with pytest.raises(Conflict, match=message) as caught:
        close(session, world, need=need)
    assert caught.value.field == "status"
    assert reload(session, need).status == status
    assert need_events(session, need) == []


def test_closing_by_patch_follows_the_same_rule_and_makes_the_other_changes_first(session, world):
    p = put_proposal(session, world.need, world.offer, "approved")
    update_need(session, actor=world.actor("requester"), need_id=world.need.id,
                data=NeedUpdate(status="closed", title="Prison adviser (closed)"))
    need = reload(session, world.need)
    assert (need.status, need.title) == ("closed", "Prison adviser (closed)")
    assert (reload(session, p).status, reload(session, p).reason) == ("withdrawn", "Need closed.")
    assert [(e.action, e.to_state) for e in need_events(session, need)] == [("update", "filled"), ("close", "closed")]
    assert need_events(session, need)[0].data == {"changed": ["title"]}


def test_a_patch_that_closes_but_fails_on_another_field_changes_nothing(session, world):
    p = put_proposal(session, world.need, world.offer, "approved")
    with pytest.raises(InvalidInput) as caught:
        update_need(session, actor=world.actor("requester"), need_id=world.need.id,
                    data=NeedUpdate(status="closed", start_by=datetime(2001, 1, 1, tzinfo=UTC).date()))
    assert caught.value.field == "start_by"
    assert (reload(session, world.need).status, reload(session, p).status) == ("filled", "approved")
    assert reload(session, world.offer).reserved == 1 and need_events(session, world.need) == []


def test_a_patch_cannot_close_a_draft(session, world):
    draft = make_need(session, requester_org_id=world.mission.id, status="draft")
    session.commit()
    with pytest.raises(Conflict, match="cancel it instead"):
        update_need(session, actor=world.actor("requester"), need_id=draft.id, data=NeedUpdate(status="closed"))
    assert reload(session, draft).status == "draft"


# --- what closing and cancelling share -------------------------------------------------------

ENDINGS = {"closed": close_need, "cancelled": cancel_need}


@pytest.mark.parametrize("ended", list(ENDINGS))
def test_only_the_requesting_organization_and_the_secretariat_end_a_need(session, world, ended):
    p = put_proposal(session, world.need, world.offer, "approved")
    for who in ("rival_requester", "provider", "provider_colleague"):
        with pytest.raises(Forbidden):
            ENDINGS[ended](session, actor=world.actor(who), need_id=world.need.id, now=NOW)
    assert (reload(session, world.need).status, reload(session, p).status) == ("filled", "approved")
    assert ENDINGS[ended](session, actor=world.actor("requester_colleague"), need_id=world.need.id).status == ended


@pytest.mark.parametrize("ended", list(ENDINGS))
def test_a_proposal_written_for_a_need_that_ended_cannot_be_approved(session, world, ended):
    ENDINGS[ended](session, actor=world.actor("requester"), need_id=world.need.id, now=NOW)
    late = put_proposal(session, world.need, world.offer)  # a match run working from an older snapshot
    with pytest.raises(Conflict, match=ended):
        service.act(session, actor=world.actor("officer"), proposal_id=late.id, action="approve", now=NOW)
