"""An offer's capacity, changed by its provider, against the places its proposals hold."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from capmatch.audit.models import AuditEvent
from capmatch.errors import InvalidInput
from capmatch.offers.schemas import OfferUpdate
from capmatch.offers.service import update_offer
from capmatch.proposals import service
from tests.factories import make_need, make_offer, put_proposal

from .conftest import reload


def change(session, world, offer, who="provider", **fields):
    """The change as one request makes it: the service, then the request's commit."""
    updated = update_offer(session, actor=world.actor(who), offer_id=offer.id, data=OfferUpdate(**fields))
    session.commit()
    return updated


def update_events(session, offer):
    return list(session.scalars(sa.select(AuditEvent).where(
        AuditEvent.entity_type == "offer", AuditEvent.entity_id == offer.id, AuditEvent.action == "update")))


def offer_holding(session, world, capacity, statuses):
    """An offer of `capacity` places with a proposal in each of `statuses`, one need each."""
    offer = make_offer(session, provider_org_id=world.agency.id, capacity=capacity)
    for status in statuses:
        put_proposal(session, make_need(session, requester_org_id=world.mission.id), offer, status)
    return reload(session, offer)


def test_lowering_capacity_to_what_is_held_makes_the_offer_reserved(session, world):
    offer = offer_holding(session, world, 3, ["approved", "agreed"])
    assert offer.status == "available"
    change(session, world, offer, capacity=2)
    offer = reload(session, offer)
    assert (offer.capacity, offer.reserved, offer.status) == (2, 2, "reserved")
    [event] = update_events(session, offer)
    assert (event.from_state, event.to_state, event.data) == ("available", "reserved", {"changed": ["capacity"]})


def test_raising_capacity_makes_a_full_offer_available_again_and_approvable(session, world):
    offer = offer_holding(session, world, 1, ["approved"])
    assert offer.status == "reserved"
    change(session, world, offer, capacity=2)
    assert reload(session, offer).status == "available"
    second = put_proposal(session, make_need(session, requester_org_id=world.mission.id), offer)
    service.act(session, actor=world.actor("officer"), proposal_id=second.id, action="approve")
    offer = reload(session, offer)
    assert (offer.reserved, offer.status) == (2, "reserved")


def test_an_offer_whose_every_place_is_deployed_is_deployed_once_nothing_is_left(session, world):
    offer = offer_holding(session, world, 2, ["deployed"])
    assert offer.status == "available"
    change(session, world, offer, who="officer", capacity=1)
    assert reload(session, offer).status == "deployed"


def test_capacity_below_what_is_held_is_refused_on_the_field_and_nothing_changes(session, world):
    offer = offer_holding(session, world, 3, ["approved", "accepted"])
    with pytest.raises(InvalidInput, match="cannot go below 2") as caught:
        change(session, world, offer, capacity=1, title="Renamed while at it")
    assert caught.value.field == "capacity"
    offer = reload(session, offer)
    assert (offer.capacity, offer.status) == (3, "available")
    assert offer.title != "Renamed while at it"  # the whole change is refused, not just the capacity
    assert update_events(session, offer) == []


def test_a_change_that_leaves_capacity_alone_leaves_the_status_alone(session, world):
    offer = offer_holding(session, world, 1, ["confirmed"])
    change(session, world, offer, title="Senior corrections adviser")
    offer = reload(session, offer)
    assert (offer.title, offer.status) == ("Senior corrections adviser", "reserved")
    [event] = update_events(session, offer)
    assert (event.from_state, event.to_state) == ("reserved", "reserved")
