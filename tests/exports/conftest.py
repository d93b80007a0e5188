"""A small marketplace to export: a mission and two providers, an expert deployed, a run that left a gap."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.factories import make_gap, make_need, make_offer, make_organization, make_run, make_user, put_proposal

OWN_EXPERT = "Wanjiru Kamau"
RIVAL_EXPERT = "Ingrid Halvorsen"
QUIET_EXPERT = "Aminata Diallo"  # an agency expert proposed nowhere: only the agency and the secretariat see her name


@dataclass
class Marketplace:
    users: dict
    mission: object
    agency: object
    rival: object
    needs: dict
    offers: dict
    proposals: dict
    run: object


@pytest.fixture
def market(session) -> Marketplace:
    mission = make_organization(session, name="UN Mission in South Sudan", kind="un_entity", country_iso3="SSD",
                                may_request=True, may_provide=False)
    other_mission = make_organization(session, name="UN Mission in Mali", kind="un_entity", country_iso3="MLI",
                                      may_request=True, may_provide=False)
    agency = make_organization(session, name="Kenya Civilian Agency", country_iso3="KEN")
    rival = make_organization(session, name="Norwegian Expert Corps", country_iso3="NOR")
    users = {
        "requester": make_user(session, role="requester", organization_id=mission.id),
        "provider": make_user(session, role="provider", organization_id=agency.id),
        "other_provider": make_user(session, role="provider", organization_id=rival.id),
        "officer": make_user(session, role="officer"),
    }
    needs = {
        "prisons": make_need(session, requester_org_id=mission.id, title="Prison reform adviser", positions=2,
                             start_by=date(2027, 3, 1), duration_months=12, languages={"eng": 5, "ara": 3}),
        "elections": make_need(session, requester_org_id=mission.id, title="Electoral dispute adviser",
                               area_code="elections", urgency="high", start_by=date(2027, 5, 15), duration_months=6),
        "draft": make_need(session, requester_org_id=mission.id, title="Own draft: parole adviser", status="draft"),
        "mali": make_need(session, requester_org_id=other_mission.id, title="Court registry adviser",
                          duty_country_iso3="MLI", area_code="judicial_reform", languages={"fra": 5}),
    }
    offers = {
        "own": make_offer(session, provider_org_id=agency.id, expert_name=OWN_EXPERT,
                          expert_email="wanjiru@agency.example", title="Senior corrections adviser",
                          languages={"eng": 6, "swa": 6}, areas=["corrections", "criminal_justice"]),
        "quiet": make_offer(session, provider_org_id=agency.id, expert_name=QUIET_EXPERT,
                            expert_email="aminata@agency.example", title="=HYPERLINK(\"http://evil.example\")",
                            summary="+1 rated; -2 weeks notice; @ anywhere", nationality_iso3="SEN"),
        "rival": make_offer(session, provider_org_id=rival.id, expert_name=RIVAL_EXPERT,
                            expert_email="ingrid@rival.example", title="Electoral law expert", nationality_iso3="NOR",
                            areas=["elections"], monthly_cost_usd=9500.5, gender="female"),
        "withdrawn": make_offer(session, provider_org_id=agency.id, title="Withdrawn training", kind="training",
                                expert_name=None, nationality_iso3=None, gender=None, status="withdrawn"),
    }
    proposals = {
        "deployed": put_proposal(session, needs["prisons"], offers["own"], "deployed", appraisal=None),
        "proposed": put_proposal(session, needs["elections"], offers["rival"], "proposed"),
    }
    run = make_run(session)
    make_gap(session, run, need=needs["elections"], unfilled=1,
             messages=("No offer in elections speaks English at C1.", "2 offers start too late."))
    make_gap(session, run, need=needs["mali"], unfilled=1, messages=("No offer in judicial_reform is available.",))
    session.commit()
    return Marketplace(users, mission, agency, rival, needs, offers, proposals, run)


def read_back(fmt: str, content: bytes) -> list[dict]:
    """An export's rows as dicts of text (None for an empty cell in JSON and XLSX)."""
    if fmt == "json":
        return json.loads(content)
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(content)).worksheets[0]
        header, *rows = list(sheet.iter_rows(values_only=True))
        return [dict(zip(header, row)) for row in rows]
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    header = next(reader)
    if fmt == "hxl":
        next(reader)  # the hashtags
    return [dict(zip(header, row)) for row in reader]


@pytest.fixture
def export(client, bearer):
    """export(path, user=None, **params) -> the response to GET /api/v1/exports/<path>."""

    def get(path: str, user=None, **params):
        headers = bearer(user) if user is not None else {}
        return client.get(f"/api/v1/exports/{path}", params=params, headers=headers)

    return get
