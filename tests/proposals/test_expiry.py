"""Deadlines: a step nobody answers within answer_deadline_days (14 by default) expires and frees the offer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from capmatch.config import Settings
from capmatch.proposals import service
from tests.factories import put_proposal

from .conftest import audit_of, inbox, reload

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def act(session, world, who, proposal, action, now):
    return service.act(session, actor=world.actor(who), proposal_id=proposal.id, action=action, now=now)


def test_an_approval_nobody_answers_for_14_days_expires_and_frees_the_offer(session, world):
    p = put_proposal(session, world.need, world.offer)
    act(session, world, "officer", p, "approve", NOW)
    assert reload(session, p).deadline_at == NOW + 14 * DAY

    assert service.expire_overdue(session, now=NOW + 13 * DAY) == []
    assert service.expire_overdue(session, now=NOW + 14 * DAY) == []  # due at that instant, not before
    assert service.expire_overdue(session, now=NOW + 14 * DAY + timedelta(seconds=1)) == [p.id]

    p, offer, need = reload(session, p), reload(session, world.offer), reload(session, world.need)
    assert (p.status, p.deadline_at) == ("expired", None)
    assert (offer.reserved, offer.status, need.status) == (0, "available", "open")
    event = audit_of(session, p.id)[-1]
    assert (event.action, event.from_state, event.to_state, event.actor_id) == (
        "expire", "approved", "expired", None)
    assert event.reason == "No answer by 8 Dec 2026, 09:00 UTC."
    for who in ("officer", "requester", "requester_colleague", "provider", "provider_colleague"):
        assert [n.subject for n in inbox(session, world.user(who))][-1].startswith(f"Proposal {p.id} has expired")
    assert service.expire_overdue(session, now=NOW + 30 * DAY) == []  # nothing left to expire


@pytest.mark.parametrize(("who", "action", "waiting"), [("requester", "accept", "accepted"),
                                                        ("provider", "confirm", "confirmed")])
def test_each_answer_starts_a_fresh_deadline_for_the_other_side(session, world, who, action, waiting):
    p = put_proposal(session, world.need, world.offer)
    act(session, world, "officer", p, "approve", NOW)
    act(session, world, who, p, action, NOW + 10 * DAY)
    assert reload(session, p).deadline_at == NOW + 24 * DAY
    assert service.expire_overdue(session, now=NOW + 20 * DAY) == []
    assert service.expire_overdue(session, now=NOW + 25 * DAY) == [p.id]
    assert audit_of(session, p.id)[-1].from_state == waiting
    assert reload(session, world.offer).reserved == 0


def test_agreed_and_later_proposals_never_expire(session, world):
    p = put_proposal(session, world.need, world.offer)
    act(session, world, "officer", p, "approve", NOW)
    act(session, world, "requester", p, "accept", NOW)
    act(session, world, "provider", p, "confirm", NOW)
    assert service.expire_overdue(session, now=NOW + 400 * DAY) == []
    assert reload(session, p).status == "agreed"


def test_the_deadline_is_configurable(session, world, monkeypatch):
    monkeypatch.setattr(service, "get_settings", lambda: Settings(answer_deadline_days=3))
    p = put_proposal(session, world.need, world.offer)
    act(session, world, "officer", p, "approve", NOW)
    assert reload(session, p).deadline_at == NOW + 3 * DAY
    assert service.expire_overdue(session, now=NOW + 4 * DAY) == [p.id]


def test_an_expired_proposal_cannot_be_answered_any_more(session, world):
    from capmatch.errors import Conflict

    p = put_proposal(session, world.need, world.offer)
    act(session, world, "officer", p, "approve", NOW)
    service.expire_overdue(session, now=NOW + 15 * DAY)
    with pytest.raises(Conflict, match="expired"):
        act(session, world, "requester", p, "accept", NOW + 15 * DAY)


def test_the_expiry_job_is_registered_to_run_periodically():
    import capmatch.proposals.tasks  # noqa: F401
    from capmatch.jobs.app import tasks

    # Once the job app is built, the blueprint's names carry the "capmatch:" namespace.
    assert any(name.split(":")[-1] == "expire_overdue_proposals" for name in tasks.tasks)
    assert any(name.split(":")[-1] == "expire_overdue_proposals"
               for name, _ in tasks.periodic_registry.periodic_tasks)
