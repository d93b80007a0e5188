"""A small marketplace for the proposals tests: one need, one offer, and the people on each side."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.audit.models import AuditEvent
from capmatch.auth.actor import Actor
from capmatch.auth.models import User
from capmatch.needs.models import Need
from capmatch.notifications.models import Notification
from capmatch.offers.models import Offer
from capmatch.organizations.models import Organization
from capmatch.proposals.models import Proposal
from tests.factories import make_need, make_offer, make_organization, make_user, put_proposal


def actor(user: User) -> Actor:
    return Actor(user_id=user.id, role=user.role, organization_id=user.organization_id, email=user.email)


@dataclass
class World:
    mission: Organization
    agency: Organization
    rival_agency: Organization
    rival_mission: Organization
    officer: User
    admin: User
    requester: User
    requester_colleague: User
    provider: User
    provider_colleague: User
    rival_provider: User
    rival_requester: User
    need: Need
    offer: Offer

    def user(self, who: str) -> User:
        return getattr(self, who)

    def actor(self, who: str) -> Actor:
        return actor(self.user(who))


def build_world(session: Session) -> World:
    mission = make_organization(session, kind="un_entity", country_iso3="SSD", may_request=True, may_provide=False)
    rival_mission = make_organization(session, kind="un_entity", country_iso3="SSD", may_request=True,
                                      may_provide=False)
    agency = make_organization(session, country_iso3="KEN")
    rival_agency = make_organization(session, country_iso3="NOR")
    return World(
        mission=mission, agency=agency, rival_agency=rival_agency, rival_mission=rival_mission,
        officer=make_user(session, role="officer"),
        admin=make_user(session, role="admin"),
        requester=make_user(session, role="requester", organization_id=mission.id),
        requester_colleague=make_user(session, role="requester", organization_id=mission.id),
        provider=make_user(session, role="provider", organization_id=agency.id),
        provider_colleague=make_user(session, role="provider", organization_id=agency.id),
        rival_provider=make_user(session, role="provider", organization_id=rival_agency.id),
        rival_requester=make_user(session, role="requester", organization_id=rival_mission.id),
        need=make_need(session, requester_org_id=mission.id),
        offer=make_offer(session, provider_org_id=agency.id),
    )


@pytest.fixture
def world(session: Session) -> World:
    w = build_world(session)
    session.commit()
    return w


def reload(session: Session, obj):
    session.expire_all()
    return session.get(type(obj), obj.id)


def audit_of(session: Session, proposal_id: int) -> list[AuditEvent]:
    return list(session.scalars(sa.select(AuditEvent).where(
        AuditEvent.entity_type == "proposal", AuditEvent.entity_id == proposal_id).order_by(AuditEvent.id)))


def inbox(session: Session, user: User) -> list[Notification]:
    return list(session.scalars(sa.select(Notification).where(Notification.user_id == user.id)
                                .order_by(Notification.id)))


SHORT_OF_DEPLOYMENT = ("proposed", "approved", "accepted", "confirmed", "agreed")
EVERYONE = ("officer", "admin", "requester", "requester_colleague", "provider", "provider_colleague",
            "rival_provider", "rival_requester")


def one_of_each(session: Session, world: World) -> tuple[Need, dict[str, Proposal], Proposal]:
    """A need for four, with a proposal in each state short of deployment (one offer each) and a declined one."""
    need = make_need(session, requester_org_id=world.mission.id, positions=4)
    proposals = {status: put_proposal(session, need, make_offer(session, provider_org_id=world.agency.id), status)
                 for status in SHORT_OF_DEPLOYMENT}
    declined = put_proposal(session, need, make_offer(session, provider_org_id=world.agency.id), "declined")
    return need, proposals, declined


def told(session: Session, world: World) -> set[str]:
    """Who of the world has been notified of anything since the last call (their notices are then cleared)."""
    people = {who for who in EVERYONE if inbox(session, world.user(who))}
    session.execute(sa.delete(Notification))
    return people
