"""The last mile, through a real browser: from a match both sides agreed to, the deployment and its appraisal.

The agreement itself is test_story.py's; here it is reached through the workflow service, as the
pages would, so that the notifications are the ones people get. Then the provider follows the
notification's link to the proposal's page and records the expert's arrival, the requester follows
theirs and completes the deployment with an appraisal, and the appraisal shows on the expert's
deployment record: on the proposal's page and on the offer's page. Screenshots in test-artifacts/browser/.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch import db
from capmatch.auth.actor import Actor
from capmatch.auth.models import User
from capmatch.i18n.formats import day
from capmatch.proposals import service
from capmatch.proposals.models import Proposal
from tests.browser.test_story import anonymous, person, refused, screen, submit  # noqa: F401 (fixtures)
from tests.factories import make_need, make_offer

pytestmark = pytest.mark.browser

NEED_TITLE = "Prison registry adviser (deployment story)"
OFFER_TITLE = "Prison records specialist (deployment story)"
EXPERT = "Wairimu Njeri"


@pytest.fixture(scope="module")
def agreed(story_database) -> int:
    """A need and an offer of the story's organizations, matched and agreed through the workflow."""
    url, people = story_database
    engine = db.create_db_engine(url, pool_size=1)
    with Session(engine, expire_on_commit=False) as session:
        users = {u.role: u for u in session.scalars(sa.select(User).where(User.email.in_(
            [people.requester, people.provider, people.officer])))}
        need = make_need(session, requester_org_id=users["requester"].organization_id, title=NEED_TITLE,
                         start_by=date.today() + timedelta(days=30), duration_months=6)
        offer = make_offer(session, provider_org_id=users["provider"].organization_id, title=OFFER_TITLE,
                           expert_name=EXPERT, available_from=date.today())
        proposal = Proposal(need_id=need.id, offer_id=offer.id, score=0.8, status="proposed",
                            breakdown={"skills": 1.0, "language": 1.0, "appraisal": 0.5})
        session.add(proposal)
        session.commit()
        # The provider releases first, so the host's acceptance is what tells the provider both sides agreed.
        for role, action in (("officer", "approve"), ("provider", "confirm"), ("requester", "accept")):
            u = users[role]
            service.act(session, actor=Actor(user_id=u.id, role=u.role, organization_id=u.organization_id),
                        proposal_id=proposal.id, action=action)
            session.commit()
        pid = proposal.id
    engine.dispose()
    return pid


def follow_notification(page, subject_part: str) -> None:
    page.goto("/notifications")
    link = page.locator("ul.notifications a", has_text=subject_part).first
    with page.expect_navigation():
        link.click()


def test_the_expert_deploys_the_host_appraises_and_the_record_shows_it(person, anonymous, agreed, shots):
    # 1. The provider follows the "both sides agreed" notice to the proposal's page and records the arrival.
    provider = person("provider")
    follow_notification(provider, "is agreed by both sides")
    assert provider.url.endswith(f"/proposals/{agreed}"), provider.url
    step = provider.inner_text("section.next-step")
    assert "record the expert's arrival" in step and "It is your turn" in step, step
    shots(provider, "provider-proposal-agreed")
    arrival = date.today() - timedelta(days=1)
    provider.fill("#f-deploy-arrived_on", arrival.isoformat())
    submit(provider, "Record the deployment", rf"/proposals/{agreed}$")
    assert "The expert's arrival is recorded." in provider.inner_text("main")
    assert f"arrived {day(arrival)}" in provider.inner_text("ol.timeline")
    shots(provider, "provider-deployment-recorded")

    # 2. The requester follows the "expert deployed" notice, sees whose step it is, and appraises.
    requester = person("requester")
    follow_notification(requester, "the expert is deployed")
    assert requester.url.endswith(f"/proposals/{agreed}"), requester.url
    assert EXPERT in requester.inner_text("main")  # released: the full profile
    assert "complete the deployment with an appraisal" in requester.inner_text("section.next-step")
    shots(requester, "requester-proposal-deployed")
    # Without an appraisal the form comes back with the message on the appraisal, and nothing changed.
    submit(requester, "Complete the deployment", rf"/proposals/{agreed}/complete$")
    assert "required" in requester.inner_text("#f-complete-appraisal").lower()
    shots(requester, "requester-appraisal-missing")
    requester.check("#f-complete-appraisal-5")
    requester.fill("#f-complete-reason", "Rebuilt the prison registry and trained six clerks.")
    submit(requester, "Complete the deployment", rf"/proposals/{agreed}$")
    record = requester.inner_text("table.deployment-record")
    assert "5 / 5" in record and "Rebuilt the prison registry" in record, record
    assert "completed" in requester.inner_text("h1")
    shots(requester, "requester-deployment-appraised")

    # 3. The appraisal is on the expert's record for everyone who looks at the offer.
    offer_link = requester.locator("#offer-title + p a").get_attribute("href")
    visitor = anonymous()
    visitor.goto(offer_link)
    public = visitor.inner_text("table.deployment-record")
    assert "5 / 5" in public and NEED_TITLE in public and "Rebuilt" not in public, public
    shots(visitor, "public-offer-record")
    provider.goto("/notifications")
    assert provider.locator("ul.notifications a", has_text="the deployment is completed").count() == 1
