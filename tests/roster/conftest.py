"""Roster fixtures: two providing organizations with a provider user each, a requester and an officer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from capmatch.auth.actor import Actor
from tests.factories import make_organization, make_user

DATA = Path(__file__).parent / "data"


def actor_of(user) -> Actor:
    return Actor(user_id=user.id, role=user.role, organization_id=user.organization_id, email=user.email)


@dataclass
class RosterWorld:
    kenya: object
    norway: object
    mission: object
    provider: object
    other_provider: object
    requester: object
    officer: object

    def actor(self, name: str) -> Actor:
        return actor_of(getattr(self, name))


@pytest.fixture
def world(session) -> RosterWorld:
    kenya = make_organization(session, name="Kenya Prisons Service", country_iso3="KEN")
    norway = make_organization(session, name="Norwegian Crisis Response Pool", country_iso3="NOR")
    mission = make_organization(session, name="UN Mission in South Sudan", kind="un_entity", country_iso3="SSD",
                                may_request=True, may_provide=False)
    world = RosterWorld(
        kenya=kenya, norway=norway, mission=mission,
        provider=make_user(session, role="provider", organization_id=kenya.id),
        other_provider=make_user(session, role="provider", organization_id=norway.id),
        requester=make_user(session, role="requester", organization_id=mission.id),
        officer=make_user(session, role="officer"),
    )
    session.commit()  # a failing request rolls back only its own savepoint, not this setup
    return world
