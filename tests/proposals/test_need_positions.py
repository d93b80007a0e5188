"""A need's number of positions, changed by its requester, against the positions its proposals hold."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from capmatch.audit.models import AuditEvent
from capmatch.errors import InvalidInput
from capmatch.needs import queries
from capmatch.needs.queries import NeedFilters
from capmatch.needs.schemas import NeedUpdate
from capmatch.needs.service import update_need
from capmatch.pagination import PageRequest
from capmatch.proposals import service
from tests.factories import make_need, make_offer, put_proposal

from .conftest import reload


def change(session, world, need, who="requester", **fields):
    """The change as one request makes it: the service, then the request's commit."""
    updated = update_need(session, actor=world.actor(who), need_id=need.id, data=NeedUpdate(**fields))
    session.commit()
    return updated


def update_events(session, need):
    return list(session.scalars(sa.select(AuditEvent).where(
        AuditEvent.entity_type == "need", AuditEvent.entity_id == need.id, AuditEvent.action == "update")))


def need_holding(session, world, positions, statuses, *, status="open"):
    """A need for `positions` experts with a proposal in each of `statuses`, one offer each."""
    need = make_need(session, requester_org_id=world.mission.id, positions=positions, status=status)
    for proposal_status in statuses:
        put_proposal(session, need, make_offer(session, provider_org_id=world.agency.id), proposal_status)
    return reload(session, need)


def in_marketplace(session, need) -> bool:
    """Whether the public list of needs, which the marketplace shows and matching reads, has the need."""
    records, _ = queries.list_needs(session, actor=None, filters=NeedFilters(requester=need.requester_org_id),
                                    page=PageRequest())
    return need.id in {r.need.id for r in records}


def test_raising_positions_reopens_a_filled_need_to_the_marketplace_and_to_approvals(session, world):
    need = need_holding(session, world, 1, ["approved"])
    assert need.status == "filled" and not in_marketplace(session, need)
    change(session, world, need, positions=2)
    need = reload(session, need)
    assert need.status == "partially_filled" and in_marketplace(session, need)
    [event] = update_events(session, need)
    assert (event.from_state, event.to_state, event.data) == ("filled", "partially_filled", {"changed": ["positions"]})
    second = put_proposal(session, reload(session, need), make_offer(session, provider_org_id=world.agency.id))
    service.act(session, actor=world.actor("officer"), proposal_id=second.id, action="approve")
    assert reload(session, need).status == "filled"


def test_lowering_positions_to_what_is_held_makes_the_need_filled(session, world):
    need = need_holding(session, world, 3, ["approved", "agreed", "proposed"])
    assert need.status == "partially_filled"
    change(session, world, need, positions=2)
    need = reload(session, need)
    assert (need.positions, need.status) == (2, "filled")
    assert not in_marketplace(session, need)
    [event] = update_events(session, need)
    assert (event.from_state, event.to_state) == ("partially_filled", "filled")


@pytest.mark.parametrize("held", [["approved", "accepted"], ["confirmed", "deployed"], ["agreed", "completed"]])
def test_positions_below_what_is_held_are_refused_on_the_field_and_nothing_changes(session, world, held):
    need = need_holding(session, world, 3, held)
    with pytest.raises(InvalidInput, match="cannot go below 2") as caught:
        change(session, world, need, positions=1, title="Renamed while at it")
    assert caught.value.field == "positions"
    session.rollback()  # as the request would
    need = reload(session, need)
    assert (need.positions, need.status) == (3, "partially_filled")
    assert need.title != "Renamed while at it"  # the whole change is refused, not just the positions
    assert update_events(session, need) == []


def test_a_change_that_leaves_positions_alone_leaves_the_status_alone(session, world):
    need = need_holding(session, world, 1, ["confirmed"])
    change(session, world, need, title="Senior corrections adviser")
    need = reload(session, need)
    assert (need.title, need.status) == ("Senior corrections adviser", "filled")
    [event] = update_events(session, need)
    assert (event.from_state, event.to_state) == ("filled", "filled")


def test_changing_the_positions_of_a_draft_keeps_it_a_draft(session, world):
    need = need_holding(session, world, 1, [], status="draft")
    change(session, world, need, positions=4)
    need = reload(session, need)
    assert (need.positions, need.status) == (4, "draft")
