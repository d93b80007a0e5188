"""On the demo marketplace, matched and walked through every ending, each notification's link opens for its reader."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi.testclient import TestClient

from capmatch.auth.actor import SYSTEM, Actor
from capmatch.auth.models import User
from capmatch.matching import runs
from capmatch.matching import service as matching
from capmatch.matching.schemas import RunCreate
from capmatch.needs.models import Need
from capmatch.notifications.models import Notification
from capmatch.offers.models import Offer
from capmatch.proposals import service
from capmatch.proposals.models import Proposal
from capmatch.seed.demo import DEMO_PASSWORD, load_demo
from tests.conftest import run_requests_in
from tests.web.html import csrf_of, parse

# One proposal walked down each path, so that every kind of notice reaches somebody.
SCRIPTS = (
    (("officer", "approve"), ("requester", "accept"), ("provider", "confirm"), ("provider", "deploy"),
     ("requester", "complete")),
    (("officer", "approve"), ("provider", "confirm"), ("requester", "accept"), ("officer", "deploy"),
     ("officer", "complete")),
    (("officer", "approve"), ("provider", "decline")),
    (("officer", "approve"), ("provider", "confirm"), ("requester", "decline")),
    (("officer", "approve"), ("requester", "accept"), ("officer", "withdraw")),
    (("officer", "approve"), ("requester", "accept"), ("provider", "confirm"), ("requester", "withdraw")),
    (("officer", "approve"),),
)


def as_actor(user: User) -> Actor:
    return Actor(user_id=user.id, role=user.role, organization_id=user.organization_id, email=user.email)


def first_user(session, role: str, organization_id: int | None = None) -> User | None:
    stmt = sa.select(User).where(User.role == role, User.is_active.is_(True)).order_by(User.id).limit(1)
    if organization_id is not None:
        stmt = stmt.where(User.organization_id == organization_id)
    return session.scalar(stmt)


def walk(session, proposal: Proposal, script, officer: User) -> None:
    need, offer = session.get(Need, proposal.need_id), session.get(Offer, proposal.offer_id)
    people = {"officer": officer, "requester": first_user(session, "requester", need.requester_org_id),
              "provider": first_user(session, "provider", offer.provider_org_id)}
    for who, action in script:
        extra = {"appraisal": 4} if action == "complete" else {}
        reason = "Walked on the demo." if action in ("decline", "withdraw", "complete") else None
        service.act(session, actor=as_actor(people[who]), proposal_id=proposal.id, action=action, reason=reason,
                    **extra)
        session.commit()


def sign_in(client, email: str) -> None:
    token = csrf_of(parse(client.get("/login").text))
    response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD, "csrf_token": token},
                           follow_redirects=False)
    assert response.status_code == 303, response.text


def test_on_the_demo_every_link_in_every_users_notifications_answers_200_for_that_user(committed, application):
    load_demo(committed)
    committed.commit()
    run = matching.create_run(committed, actor=SYSTEM, request=RunCreate())
    committed.commit()
    assert runs.execute(run.id) is True

    # Proposals whose two sides both have someone to answer, one per need.
    requesters = sa.select(User.organization_id).where(User.role == "requester")
    providers = sa.select(User.organization_id).where(User.role == "provider")
    candidates = committed.scalars(
        sa.select(Proposal).join(Need, Need.id == Proposal.need_id).join(Offer, Offer.id == Proposal.offer_id)
        .where(Proposal.run_id == run.id, Need.requester_org_id.in_(requesters),
               Offer.provider_org_id.in_(providers))
        .order_by(Proposal.score.desc(), Proposal.id)
    ).all()
    assert len(candidates) >= len(SCRIPTS), "the demo should match enough pairs with people on both sides"
    officer = first_user(committed, "officer")
    for proposal, script in zip(candidates, SCRIPTS):
        walk(committed, proposal, script, officer)

    readers = committed.execute(
        sa.select(User.email, User.role, sa.func.array_agg(sa.distinct(Notification.link)))
        .join(Notification, Notification.user_id == User.id).group_by(User.email, User.role).order_by(User.email)
    ).all()
    assert {role for _, role, _ in readers} == {"officer", "requester", "provider"}
    run_requests_in(application, committed)
    try:
        failures = []
        for email, _role, links in readers:
            with TestClient(application, raise_server_exceptions=False) as client:
                sign_in(client, email)
                for link in links:
                    assert link and link.startswith("/proposals/"), link
                    status = client.get(link, follow_redirects=False).status_code
                    if status != 200:
                        failures.append(f"{email} GET {link} -> {status}")
        assert not failures, "\n".join(failures)
        assert sum(len(links) for _, _, links in readers) >= len(SCRIPTS) * 2
    finally:
        application.dependency_overrides.clear()
