"""Deployment and completion write the expert's deployment record, and the record feeds the next match run."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from capmatch.auth.actor import SYSTEM, Actor
from capmatch.errors import InvalidInput
from capmatch.matching import runs
from capmatch.matching import service as matching
from capmatch.matching.schemas import RunCreate
from capmatch.offers.models import PastDeployment
from capmatch.offers.queries import get_offer
from capmatch.offers.schemas import OfferUpdate
from capmatch.offers.service import update_offer
from capmatch.proposals import service
from capmatch.proposals.models import Proposal
from tests.factories import make_need, make_offer, make_organization, make_user, put_proposal

from .conftest import reload

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def act(session, world, who, proposal, action, **kw):
    return service.act(session, actor=world.actor(who), proposal_id=proposal.id, action=action, now=NOW, **kw)


def records_of(session, offer_id: int) -> list[PastDeployment]:
    session.expire_all()
    return list(session.scalars(sa.select(PastDeployment).where(PastDeployment.offer_id == offer_id)
                                .order_by(PastDeployment.id)))


def test_completing_a_deployment_writes_it_to_the_experts_record(session, world):
    p = put_proposal(session, world.need, world.offer, "agreed")
    act(session, world, "provider", p, "deploy", arrived_on=date(2026, 3, 2))
    assert reload(session, p).deployed_on == date(2026, 3, 2)
    act(session, world, "requester", p, "complete", appraisal=4, reason="Reorganized the prison registry.",
        ended_on=date(2026, 11, 20))

    [entry] = records_of(session, world.offer.id)
    assert (entry.country_iso3, entry.role, entry.organization_name) == (
        "SSD", world.need.title, world.mission.name)
    assert (entry.started_on, entry.ended_on, entry.appraisal) == (date(2026, 3, 2), date(2026, 11, 20), 4)
    assert (entry.comment, entry.proposal_id) == ("Reorganized the prison registry.", p.id)
    assert (reload(session, p).status, reload(session, p).ended_on) == ("completed", date(2026, 11, 20))


def test_the_record_is_shown_whole_to_the_provider_and_anonymized_to_the_public(session, world):
    p = put_proposal(session, world.need, world.offer, "deployed", deployed_on=date(2026, 5, 1))
    act(session, world, "officer", p, "complete", appraisal=5, reason="Excellent mentor.")
    own = get_offer(session, actor=world.actor("provider"), offer_id=world.offer.id).past_deployments
    public = get_offer(session, actor=None, offer_id=world.offer.id).past_deployments
    assert [(d.appraisal, d.organization_name, d.comment, d.proposal_id) for d in own] == [
        (5, world.mission.name, "Excellent mentor.", p.id)]
    assert [(d.country, d.appraisal, d.organization_name, d.comment) for d in public] == [("SSD", 5, None, None)]


def test_a_providers_edit_of_past_deployments_keeps_the_hosts_record(session, world):
    p = put_proposal(session, world.need, world.offer, "deployed", deployed_on=date(2026, 5, 1))
    act(session, world, "requester", p, "complete", appraisal=2)
    entered = {"country": "LBR", "organization_name": "UNMIL", "role": "Prison adviser",
               "started_on": date(2015, 1, 1), "ended_on": date(2016, 1, 1), "appraisal": 5}
    update_offer(session, actor=world.actor("provider"), offer_id=world.offer.id,
                 data=OfferUpdate(past_deployments=[entered]))
    update_offer(session, actor=world.actor("provider"), offer_id=world.offer.id,
                 data=OfferUpdate(past_deployments=[entered]))
    assert sorted((e.country_iso3, e.appraisal, e.proposal_id) for e in records_of(session, world.offer.id)) == [
        ("LBR", 5, None), ("SSD", 2, p.id)]


@pytest.mark.parametrize(("action", "status", "kw", "field"), [
    ("deploy", "agreed", {"arrived_on": date(2026, 11, 25)}, "arrived_on"),  # the day after NOW
    ("complete", "deployed", {"appraisal": 4, "ended_on": date(2026, 11, 25)}, "ended_on"),
    ("complete", "deployed", {"appraisal": 4, "ended_on": date(2026, 4, 30)}, "ended_on"),  # before arrival
    ("deploy", "agreed", {"ended_on": date(2026, 11, 1)}, "ended_on"),
    ("withdraw", "agreed", {"reason": "no", "arrived_on": date(2026, 11, 1)}, "arrived_on"),
])
def test_a_date_that_cannot_be_is_refused_on_its_field_and_nothing_changes(session, world, action, status, kw,
                                                                           field):
    p = put_proposal(session, world.need, world.offer, status, deployed_on=date(2026, 5, 1)
                     if status == "deployed" else None)
    who = "provider" if action == "deploy" else "requester"
    with pytest.raises(InvalidInput) as refused:
        act(session, world, who, p, action, **kw)
    assert refused.value.field == field
    assert reload(session, p).status == status
    assert records_of(session, world.offer.id) == []


def test_the_api_records_the_arrival_and_the_appraisal(client, session, world, bearer):
    p = put_proposal(session, world.need, world.offer, "agreed")
    response = client.post(f"/api/v1/proposals/{p.id}/deploy", json={"arrived_on": "2026-01-05"},
                           headers=bearer(world.provider))
    assert response.status_code == 200, response.text
    assert response.json()["deployed_on"] == "2026-01-05"
    response = client.post(f"/api/v1/proposals/{p.id}/complete", json={"appraisal": 6},
                           headers=bearer(world.requester))
    assert response.status_code == 422 and "appraisal" in response.text
    response = client.post(f"/api/v1/proposals/{p.id}/complete",
                           json={"appraisal": 3, "reason": "Solid.", "ended_on": "2026-06-30"},
                           headers=bearer(world.requester))
    assert response.status_code == 200, response.text
    assert (response.json()["status"], response.json()["ended_on"]) == ("completed", "2026-06-30")
    offer = client.get(f"/api/v1/offers/{world.offer.id}", headers=bearer(world.provider)).json()
    assert [(d["appraisal"], d["completed_here"], d["comment"]) for d in offer["past_deployments"]] == [
        (3, True, "Solid.")]


# --- the next run ------------------------------------------------------------------------------


def run_once(session) -> int:
    run = matching.create_run(session, actor=SYSTEM, request=RunCreate())
    session.commit()
    assert runs.execute(run.id) is True
    return run.id


def appraisal_component(session, run_id: int, offer_id: int) -> float:
    session.expire_all()
    return session.scalar(sa.select(Proposal.breakdown["appraisal"].as_float())
                          .where(Proposal.run_id == run_id, Proposal.offer_id == offer_id))


def test_a_completed_deployments_appraisal_changes_the_next_runs_appraisal_component(committed):
    mission = make_organization(committed, kind="un_entity", country_iso3="SSD", may_request=True,
                                may_provide=False)
    agency = make_organization(committed, country_iso3="KEN")
    officer, requester = make_user(committed, role="officer"), make_user(committed, role="requester",
                                                                        organization_id=mission.id)
    provider = make_user(committed, role="provider", organization_id=agency.id)
    people = {u.role: Actor(user_id=u.id, role=u.role, organization_id=u.organization_id)
              for u in (officer, requester, provider)}
    offer = make_offer(committed, provider_org_id=agency.id)
    # One earlier deployment on the provider's record, appraised 2 of 5: (2 - 1) / 4 = 0.25.
    committed.add(PastDeployment(offer_id=offer.id, country_iso3="LBR", organization_name="UNMIL", role="Adviser",
                                 started_on=date(2014, 1, 1), ended_on=date(2015, 1, 1), appraisal=2))
    make_need(committed, requester_org_id=mission.id)
    committed.commit()

    first = run_once(committed)
    assert appraisal_component(committed, first, offer.id) == 0.25
    proposal_id = committed.scalar(sa.select(Proposal.id).where(Proposal.run_id == first))
    for who, action, kw in (("officer", "approve", {}), ("requester", "accept", {}), ("provider", "confirm", {}),
                            ("provider", "deploy", {}), ("requester", "complete", {"appraisal": 5})):
        service.act(committed, actor=people[who], proposal_id=proposal_id, action=action, **kw)
        committed.commit()

    # A second need for the same expert: the record now averages 2 and 5, so (3.5 - 1) / 4 = 0.625.
    make_need(committed, requester_org_id=mission.id)
    committed.commit()
    second = run_once(committed)
    assert appraisal_component(committed, second, offer.id) == 0.625
