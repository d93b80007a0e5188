"""A provider enters its experts' past deployments on the offer form and in the roster file; the hosts' record stays."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from capmatch.offers import export
from capmatch.offers.import_rows import COLUMNS, parse_roster
from capmatch.offers.models import Offer, PastDeployment
from capmatch.offers.roster import apply_import, preview_import
from tests.factories import make_need, make_offer, put_proposal
from tests.roster.test_roster_import import GOOD_ROW, csv_of
from tests.roster.test_roster_views import offer_form, token
from tests.web.html import parse

PAST = {"past_deployments[0].country": "LBR", "past_deployments[0].organization_name": "UN Mission in Liberia",
        "past_deployments[0].role": "Police adviser", "past_deployments[0].started_on": "2015-01-01",
        "past_deployments[0].ended_on": "2016-06-30", "past_deployments[0].appraisal": "4"}


def past_of(session, offer_id: int) -> list[tuple]:
    session.expire_all()
    return session.execute(
        sa.select(PastDeployment.country_iso3, PastDeployment.organization_name, PastDeployment.role,
                  PastDeployment.started_on, PastDeployment.ended_on, PastDeployment.appraisal,
                  PastDeployment.proposal_id)
        .where(PastDeployment.offer_id == offer_id).order_by(PastDeployment.started_on)).all()


def test_a_provider_adds_past_deployments_on_the_form_and_finds_them_when_editing(client, login, session, world):
    login(world.provider)
    response = client.post("/roster/new", data={"csrf_token": token(client), **offer_form(), **PAST},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    offer = session.scalars(sa.select(Offer).where(Offer.provider_org_id == world.kenya.id)).one()
    assert past_of(session, offer.id) == [
        ("LBR", "UN Mission in Liberia", "Police adviser", date(2015, 1, 1), date(2016, 6, 30), 4, None)]
    doc = parse(client.get(f"/roster/{offer.id}/edit").text)
    assert doc.find("input", name="past_deployments[0].role").get("value") == "Police adviser"
    assert doc.find("input", name="past_deployments[1].role") is not None  # an empty row to add another


def test_the_hosts_record_is_shown_read_only_and_survives_an_edit(client, login, session, world):
    offer = make_offer(session, provider_org_id=world.kenya.id)
    proposal = put_proposal(session, make_need(session), offer, "completed")
    session.add(PastDeployment(offer_id=offer.id, country_iso3="SSD", organization_name="UNMISS", role="Adviser",
                               started_on=date(2025, 1, 1), ended_on=date(2025, 12, 31), appraisal=5,
                               proposal_id=proposal.id))
    login(world.provider)
    doc = parse(client.get(f"/roster/{offer.id}/edit").text)
    assert "5 / 5" in doc.find("ul", class_="recorded").text
    assert doc.find("input", name="past_deployments[0].role").get("value") in (None, "")
    response = client.post(f"/roster/{offer.id}/edit", data={"csrf_token": token(client), **offer_form(), **PAST},
                           follow_redirects=False)
    assert response.status_code == 303
    assert [(row[0], row[5], row[6]) for row in past_of(session, offer.id)] == [("LBR", 4, None),
                                                                                 ("SSD", 5, proposal.id)]


def test_a_past_deployment_that_cannot_be_comes_back_on_its_field(client, login, session, world):
    login(world.provider)
    bad = {**PAST, "past_deployments[0].ended_on": "2014-01-01", "past_deployments[0].country": "XXX"}
    response = client.post("/roster/new", data={"csrf_token": token(client), **offer_form(), **bad})
    assert response.status_code == 400
    doc = parse(response.text)
    assert "the end date must not be before the start date" in doc.by_id("f-past_deployments-0-ended_on-error").text
    assert session.scalar(sa.select(sa.func.count()).select_from(Offer)) == 0


def row_with_past(cell: str) -> str:
    cells = dict(zip(COLUMNS, (GOOD_ROW + ",,").split(",")))
    cells["past_deployments"] = cell
    return ",".join(cells[c] for c in COLUMNS)


def test_the_import_file_carries_past_deployments(session, world):
    content = csv_of(row_with_past("LBR|UNMIL|Prison adviser|2015-01-01|2016-06-30|4;SSD|UNMISS|Trainer|2018-03-01||"))
    result = apply_import(session, actor=world.actor("provider"), provider_org_id=None, filename="p.csv",
                          content=content)
    [offer_id] = result.offer_ids
    assert past_of(session, offer_id) == [
        ("LBR", "UNMIL", "Prison adviser", date(2015, 1, 1), date(2016, 6, 30), 4, None),
        ("SSD", "UNMISS", "Trainer", date(2018, 3, 1), None, None, None)]


def test_a_bad_past_deployments_cell_is_a_row_problem_naming_the_column(session, world):
    content = csv_of(row_with_past("LBR|UNMIL"), row_with_past("ZZZ|UNMIL|Adviser|2015-01-01||9"))
    preview = preview_import(session, actor=world.actor("provider"), provider_org_id=None, filename="p.csv",
                             content=content)
    found = {(e.line, e.column): e.message for e in preview.errors}
    assert "country|organization|role|from|to|appraisal" in found[(2, "past_deployments")]
    assert "Past deployment 1, appraisal" in found[(3, "past_deployments")]
    assert not preview.ok


def test_the_template_documents_the_column_and_an_export_reimports_the_providers_own_entries(session, world):
    template = parse_roster("t.csv", export.template_csv(), max_rows=10)
    assert "|" in template.rows[0].cells["past_deployments"] and not template.problems
    preview = preview_import(session, actor=world.actor("provider"), provider_org_id=None, filename="t.csv",
                             content=export.template_csv())
    assert preview.ok, preview.errors
    content = csv_of(row_with_past("LBR|UNMIL|Prison adviser|2015-01-01|2016-06-30|4"))
    [offer_id] = apply_import(session, actor=world.actor("provider"), provider_org_id=None, filename="a.csv",
                              content=content).offer_ids
    exported = export.export_roster(session, actor=world.actor("provider"), provider_org_id=None, fmt="csv")
    row = parse_roster(exported.filename, exported.content, max_rows=10).rows[0]
    assert row.cells["past_deployments"] == "LBR|UNMIL|Prison adviser|2015-01-01|2016-06-30|4"
    apply_import(session, actor=world.actor("provider"), provider_org_id=None, filename=exported.filename,
                 content=exported.content)
    assert len(past_of(session, offer_id)) == 1  # replaced by itself, not doubled
