"""Cancelling a need ends its proposals through the workflow: places given back, audited, told."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from capmatch.audit.models import AuditEvent
from capmatch.errors import Conflict
from capmatch.needs.service import cancel_need
from capmatch.offers.models import Offer
from tests.factories import make_need, make_offer, put_proposal

from .conftest import audit_of, inbox, one_of_each, reload, told

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def cancel(session, world, who="requester", need=None, reason="The mandate ended."):
    return cancel_need(session, actor=world.actor(who), need_id=(need or world.need).id, reason=reason, now=NOW)


def test_cancelling_a_need_withdraws_every_proposal_short_of_deployment_and_frees_its_offer(session, world):
    need, proposals, declined = one_of_each(session, world)
    assert reload(session, need).status == "filled"  # four places held, and one more proposed
    cancel(session, world, need=need)
    assert reload(session, need).status == "cancelled"
    for p in proposals.values():
        p = reload(session, p)
        offer = session.get(Offer, p.offer_id)
        assert (p.status, p.reason, p.deadline_at) == ("withdrawn", "Need cancelled: The mandate ended.", None)
        assert (offer.reserved, offer.status) == (0, "available")
    assert reload(session, declined).status == "declined"  # already over: left as it was


def test_each_withdrawal_is_audited_with_who_from_where_and_why(session, world):
    need, proposals, declined = one_of_each(session, world)
    cancel(session, world, need=need)
    for status, p in proposals.items():
        [event] = audit_of(session, p.id)
        assert (event.action, event.from_state, event.to_state, event.actor_id, event.reason) == (
            "cancel_need", status, "withdrawn", world.requester.id, "Need cancelled: The mandate ended.")
        assert event.data["party"] == "requester"
    assert audit_of(session, declined.id) == []
    need_event = session.scalars(sa.select(AuditEvent).where(
        AuditEvent.entity_type == "need", AuditEvent.entity_id == need.id)).one()
    assert (need_event.action, need_event.from_state, need_event.to_state, need_event.reason) == (
        "cancel", "filled", "cancelled", "The mandate ended.")
    assert sorted(need_event.data["withdrawn_proposals"]) == sorted(p.id for p in proposals.values())


def test_the_provider_and_the_officers_hear_of_a_withdrawal_but_nobody_of_a_proposal_never_put_to_them(
    session, world
):
    approved = put_proposal(session, world.need, world.offer, "approved")
    other_need = make_need(session, requester_org_id=world.mission.id)
    proposed = put_proposal(session, other_need, make_offer(session, provider_org_id=world.agency.id))
    cancel(session, world)
    assert told(session, world) == {"provider", "provider_colleague", "officer"}
    cancel(session, world, need=other_need)
    assert reload(session, proposed).status == "withdrawn"
    assert told(session, world) == set()
    assert reload(session, approved).status == "withdrawn"


def test_the_notice_says_the_need_was_cancelled_and_why(session, world):
    p = put_proposal(session, world.need, world.offer, "confirmed")
    cancel(session, world, reason="Funding withdrawn.")
    [note] = inbox(session, world.provider)
    assert note.subject.startswith(f"Proposal {p.id} is withdrawn: the need was cancelled")
    assert "The requesting organization cancelled the need" in note.body
    assert "Funding withdrawn." in note.body and note.link == f"/proposals/{p.id}"


def test_an_officer_may_cancel_for_the_requester_who_is_then_told(session, world):
    p = put_proposal(session, world.need, world.offer, "agreed")
    cancel(session, world, who="officer", reason=None)
    p = reload(session, p)
    assert (p.status, p.reason) == ("withdrawn", "Need cancelled.")
    assert audit_of(session, p.id)[0].data["party"] == "officer"
    assert told(session, world) == {"requester", "requester_colleague", "provider", "provider_colleague"}


def test_a_filled_need_can_be_cancelled_until_its_expert_is_sent(session, world):
    put_proposal(session, world.need, world.offer, "agreed")
    assert reload(session, world.need).status == "filled"
    assert cancel(session, world).status == "cancelled"
    assert reload(session, world.offer).reserved == 0


@pytest.mark.parametrize(("status", "message"), [
    ("deployed", "An expert is deployed for this need"),
    ("completed", "already served"),
])
def test_a_need_an_expert_serves_or_served_cannot_be_cancelled_and_nothing_changes(session, world, status, message):
    need = make_need(session, requester_org_id=world.mission.id, positions=2)
    served = put_proposal(session, need, world.offer, status)
    approved = put_proposal(session, need, make_offer(session, provider_org_id=world.agency.id), "approved")
    before = reload(session, need).status
    with pytest.raises(Conflict, match=message) as caught:
        cancel(session, world, need=need)
    assert caught.value.field == "status" and "Close the need instead" in caught.value.message
    assert reload(session, need).status == before
    assert (reload(session, served).status, reload(session, approved).status) == (status, "approved")
    assert session.get(Offer, approved.offer_id).reserved == 1
    assert audit_of(session, approved.id) == []


def test_a_cancellation_that_fails_halfway_leaves_nothing_behind(session, world):
    need = make_need(session, requester_org_id=world.mission.id, positions=2)
    first = put_proposal(session, need, world.offer, "approved")
    broken = make_offer(session, provider_org_id=world.agency.id)
    second = put_proposal(session, need, broken, "approved")
    broken.reserved = 0  # a counter out of step: giving its place back must fail
    session.commit()
    with pytest.raises(Conflict, match="no reservation to release"):
        cancel(session, world, need=need)
    assert reload(session, need).status == "filled"
    assert [reload(session, p).status for p in (first, second)] == ["approved", "approved"]
    assert reload(session, world.offer).reserved == 1
    assert audit_of(session, first.id) == [] and told(session, world) == set()
