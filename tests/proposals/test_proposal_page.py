"""A proposal's own page: who sees it and what, the step awaited, and every step taken from its forms."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from capmatch.offers.models import PastDeployment
from capmatch.proposals.models import Proposal
from capmatch.i18n.formats import day
from tests.factories import put_proposal
from tests.web.html import csrf_of, parse
from tests.web.test_form_errors_at_once import shown_at_once

from .conftest import reload


def page_of(client, proposal):
    response = client.get(f"/proposals/{proposal.id}")
    return response, parse(response.text)


def post(client, proposal, action, **fields):
    token = csrf_of(parse(client.get(f"/proposals/{proposal.id}").text))
    return client.post(f"/proposals/{proposal.id}/{action}", data={"csrf_token": token, **fields},
                       follow_redirects=False)


@pytest.mark.parametrize("who", ["officer", "admin", "requester", "requester_colleague", "provider"])
def test_the_officer_and_both_sides_see_the_page(login, client, session, world, who):
    p = put_proposal(session, world.need, world.offer, "approved")
    p.breakdown = {"skills": 0.75, "language": 1.0}
    login(world.user(who))
    response, doc = page_of(client, p)
    assert response.status_code == 200
    assert world.need.title in doc.find("h1").text
    bars = doc.find("ul", class_="bars").find_all("li")
    assert [(li.find("span").text, li.find("span", class_="pct").text) for li in bars] == [
        ("Language", "100%"), ("Skill coverage", "75%")]
    assert "Proposed" in doc.find("ol", class_="timeline").text


@pytest.mark.parametrize("who", ["rival_provider", "rival_requester"])
def test_anybody_else_gets_404_and_a_visitor_is_asked_to_sign_in(login, client, session, world, who):
    p = put_proposal(session, world.need, world.offer, "approved")
    session.commit()
    visitor = client.get(f"/proposals/{p.id}", follow_redirects=False)
    assert (visitor.status_code, visitor.headers["location"]) == (303, f"/login?next=/proposals/{p.id}")
    login(world.user(who))
    assert client.get(f"/proposals/{p.id}").status_code == 404
    assert post(client, p, "withdraw", reason="not mine").status_code == 404
    assert client.get("/proposals/999999").status_code == 404
    assert reload(session, p).status == "approved"


def test_the_requester_sees_the_expert_anonymized_until_the_provider_confirms(login, client, session, world):
    p = put_proposal(session, world.need, world.offer, "approved")
    login(world.requester)
    assert world.offer.expert_name not in client.get(f"/proposals/{p.id}").text
    p.status = "confirmed"
    session.commit()
    assert world.offer.expert_name in client.get(f"/proposals/{p.id}").text


def test_each_step_says_who_acts_next_and_by_when(login, client, session, world):
    p = put_proposal(session, world.need, world.offer, "accepted")
    p.deadline_at = p.created_at + timedelta(days=14)
    session.commit()
    login(world.provider)
    _, doc = page_of(client, p)
    step = doc.find("section", class_="next-step").text
    assert "The providing organization: confirm the release of the expert or decline" in step
    assert f"Due by {day(p.created_at + timedelta(days=14))}" in step and "expires" in step
    assert "It is your turn" in step
    p.status, p.deadline_at = "agreed", None
    session.commit()
    step = page_of(client, p)[1].find("section", class_="next-step").text
    assert "The providing organization or the secretariat: record the expert's arrival" in step
    assert f"Due by {day(world.need.start_by)}" in step


def test_the_provider_records_the_arrival_and_the_requester_completes_with_an_appraisal(
        login, client, session, world):
    p = put_proposal(session, world.need, world.offer, "agreed")
    login(world.provider)
    early = post(client, p, "complete", appraisal="4")  # nobody completes a deployment not yet begun
    assert early.status_code == 409 and "the deployment cannot be completed now" in early.text
    arrived = date.today() - timedelta(days=200)
    response = post(client, p, "deploy", arrived_on=arrived.isoformat())
    assert (response.status_code, response.headers["location"]) == (303, f"/proposals/{p.id}")
    assert (reload(session, p).status, reload(session, p).deployed_on) == ("deployed", arrived)

    login(world.requester)
    _, doc = page_of(client, p)
    assert doc.find("form", id="form-complete") is not None and doc.find("form", id="form-deploy") is None
    refused = post(client, p, "complete", reason="Great work.")
    assert refused.status_code == 400
    doc = parse(refused.text)
    assert "Enter the appraisal (1 to 5)" in doc.by_id("f-complete-appraisal-error").text
    assert doc.by_id("f-complete-reason").text == "Great work."  # kept for the second try
    assert reload(session, p).status == "deployed"
    assert post(client, p, "complete", appraisal="5", reason="Great work.").status_code == 303

    doc = page_of(client, p)[1]
    assert "Deployment completed and appraised" in doc.find("ol", class_="timeline").text
    record = doc.find("table", class_="deployment-record").text
    assert "5 / 5" in record and "Great work." in record and world.mission.name in record
    entry = session.scalar(sa.select(PastDeployment).where(PastDeployment.proposal_id == p.id))
    assert (entry.appraisal, entry.started_on, entry.ended_on) == (5, arrived, date.today())


def test_completing_without_an_appraisal_and_with_an_end_before_the_arrival_says_both(login, client, session, world):
    arrived = date.today() - timedelta(days=30)
    p = put_proposal(session, world.need, world.offer, "deployed", deployed_on=arrived)
    login(world.requester)
    response = post(client, p, "complete", ended_on=(arrived - timedelta(days=1)).isoformat())
    assert response.status_code == 400
    shown_at_once(response, {
        "f-complete-appraisal": "Enter the appraisal (1 to 5).",
        "f-complete-ended_on": f"The end date must be on or after the day the expert arrived ({day(arrived)}).",
    })
    assert parse(response.text).find(class_="error-summary").find("a", href="#f-complete-ended_on") is not None
    assert reload(session, p).status == "deployed"
    assert session.scalar(sa.select(PastDeployment).where(PastDeployment.proposal_id == p.id)) is None


@pytest.mark.parametrize(("fields", "field", "status"), [
    ({"arrived_on": "next tuesday"}, "arrived_on", 400),
    ({"arrived_on": (date.today() + timedelta(days=3)).isoformat()}, "arrived_on", 400),
])
def test_a_bad_date_of_arrival_is_shown_on_its_field(login, client, session, world, fields, field, status):
    p = put_proposal(session, world.need, world.offer, "agreed")
    login(world.officer)
    response = post(client, p, "deploy", **fields)
    assert response.status_code == status
    assert parse(response.text).by_id(f"f-deploy-{field}-error") is not None
    assert reload(session, p).status == "agreed"


def test_a_withdrawal_needs_a_reason_and_a_step_overtaken_is_a_conflict(login, client, session, world):
    p = put_proposal(session, world.need, world.offer, "deployed", deployed_on=date.today())
    login(world.requester)
    response = post(client, p, "withdraw")
    assert response.status_code == 400 and parse(response.text).by_id("f-withdraw-reason-error") is not None
    assert post(client, p, "withdraw", reason="The mission closed early.").status_code == 303
    assert reload(session, p).status == "withdrawn"
    response = post(client, p, "accept")
    assert response.status_code == 409 and "withdrawn" in parse(response.text).find("main").text
    assert client.post(f"/proposals/{p.id}/dance", data={"csrf_token": csrf_of(parse(
        client.get(f"/proposals/{p.id}").text))}).status_code == 404


def test_every_notification_of_a_step_links_to_the_page(login, client, session, world):
    from capmatch.notifications.models import Notification

    p = put_proposal(session, world.need, world.offer, "proposed")
    login(world.officer)
    assert post(client, p, "approve").status_code == 303
    links = set(session.scalars(sa.select(Notification.link).where(Notification.user_id.in_(
        [world.requester.id, world.provider.id]))))
    assert links == {f"/proposals/{p.id}"}
    login(world.provider)
    assert client.get(f"/proposals/{p.id}").status_code == 200
    assert session.scalar(sa.select(Proposal.status).where(Proposal.id == p.id)) == "approved"
