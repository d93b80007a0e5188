"""The requester's and the provider's inboxes a page at a time, against the real database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from capmatch.errors import Forbidden
from capmatch.offers.models import Offer
from capmatch.pagination import PageRequest
from capmatch.proposals.inbox import deployed_experts, provider_inbox, requester_inbox
from tests.factories import make_need, make_offer, put_proposal


DUE = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def proposals_of(session, world, count, status, *, requester_org=None, provider_org=None):
    """`count` proposals in `status` of one offer, one need each; the later made, the earlier due."""
    offer = make_offer(session, provider_org_id=(provider_org or world.agency).id, capacity=max(count, 1))
    made = []
    for i in range(count):
        need = make_need(session, requester_org_id=(requester_org or world.mission).id)
        deadline = DUE - timedelta(hours=i) if status in ("approved", "accepted", "confirmed") else None
        made.append(put_proposal(session, need, offer, status, deadline_at=deadline))
    return made


def page(number, size=10):
    return PageRequest(page=number, page_size=size)


def test_the_requesters_inbox_comes_a_page_at_a_time_most_pressing_first(session, world):
    made = proposals_of(session, world, 23, "approved")
    first = requester_inbox(session, actor=world.actor("requester"), page=page(1))
    third = requester_inbox(session, actor=world.actor("requester"), page=page(3))
    assert (first.total, first.page, len(first.items), third.page, len(third.items)) == (23, 1, 10, 3, 3)
    # Made last, due first: the page order is the reverse of the making order.
    expected = [p.id for p in reversed(made)]
    seen = [i.proposal.id for n in (1, 2, 3)
            for i in requester_inbox(session, actor=world.actor("requester"), page=page(n)).items]
    assert seen == expected


def test_the_requesters_tabs_count_what_waits_on_whom(session, world):
    proposals_of(session, world, 3, "approved")
    proposals_of(session, world, 2, "confirmed")
    proposals_of(session, world, 4, "accepted")
    inbox = requester_inbox(session, actor=world.actor("requester"), view="provider", page=page(1))
    assert inbox.counts == {"awaiting": 5, "provider": 4}
    assert inbox.total == 4 and {i.proposal.status for i in inbox.items} == {"accepted"}


def test_a_page_past_the_end_shows_the_last_one(session, world):
    proposals_of(session, world, 12, "approved")
    inbox = requester_inbox(session, actor=world.actor("requester"), page=page(7))
    assert (inbox.page, len(inbox.items), inbox.total) == (2, 2, 12)
    empty = requester_inbox(session, actor=world.actor("rival_requester"), page=page(4))
    assert (empty.page, empty.items, empty.total) == (1, [], 0)


def test_an_organization_on_both_sides_sees_only_its_needs_proposals_in_the_requesters_inbox(session, world):
    world.mission.may_provide = True
    session.flush()
    mine = proposals_of(session, world, 2, "approved")
    # The mission lends an expert to the rival mission: a proposal of its offer, not for its need.
    proposals_of(session, world, 1, "approved", requester_org=world.rival_mission, provider_org=world.mission)
    inbox = requester_inbox(session, actor=world.actor("requester"), page=page(1))
    assert {i.proposal.id for i in inbox.items} == {p.id for p in mine}


def test_offers_in_the_inbox_stay_anonymous_until_released(session, world):
    [approved] = proposals_of(session, world, 1, "approved")
    [confirmed] = proposals_of(session, world, 1, "confirmed")
    items = {i.proposal.id: i.offer for i in requester_inbox(session, actor=world.actor("requester"),
                                                             page=page(1)).items}
    assert items[approved.id].personal is None
    assert items[confirmed.id].personal.expert_name.startswith("Test Expert")


def test_deployed_experts_come_a_page_at_a_time_and_a_later_withdrawn_offer_still_shows(session, world):
    done = proposals_of(session, world, 12, "completed")
    session.get(Offer, done[0].offer_id).status = "withdrawn"  # the provider retired the offer since
    proposals_of(session, world, 1, "approved")  # not deployed: not here
    second = deployed_experts(session, actor=world.actor("requester"), page=page(2))
    assert (second.total, second.page, len(second.items)) == (12, 2, 2)
    # Nobody waits on anyone here: the newest first.
    assert [i.proposal.id for i in second.items] == [done[1].id, done[0].id]


@pytest.mark.parametrize("who", ["provider", "officer"])
def test_only_requesters_have_a_requesters_inbox(session, world, who):
    with pytest.raises(Forbidden):
        requester_inbox(session, actor=world.actor(who), page=page(1))
    with pytest.raises(Forbidden):
        deployed_experts(session, actor=world.actor(who), page=page(1))


def test_the_providers_inbox_comes_a_page_at_a_time_with_its_total(session, world):
    proposals_of(session, world, 13, "approved")
    proposals_of(session, world, 2, "accepted")
    proposals_of(session, world, 3, "agreed")
    second = provider_inbox(session, actor=world.actor("provider"), page=page(2))
    assert (second.total, second.awaiting, second.page, len(second.items)) == (15, 15, 2, 5)
    agreed = provider_inbox(session, actor=world.actor("provider"), view="agreed", page=page(9))
    assert (agreed.total, agreed.page, len(agreed.items)) == (3, 1, 3)
