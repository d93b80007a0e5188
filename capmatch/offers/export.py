"""Exporting a roster as CSV or XLSX in the import's columns, so an export re-imports as it is; the example file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.auth.actor import Actor
from capmatch.errors import InvalidInput
from capmatch.i18n import _
from capmatch.offers.models import Offer
from capmatch.offers.queries import OfferRecord, describe_offers
from capmatch.offers import import_rows
from capmatch.offers.roster import roster_organization

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class RosterFile:
    filename: str
    content_type: str
    content: bytes


def export_roster(session: Session, *, actor: Actor | None, provider_org_id: int | None, fmt: str) -> RosterFile:
    """Every offer not withdrawn, in the import's columns, so the file re-imports as it is."""
    if fmt not in import_rows.FORMATS:
        raise InvalidInput(_("Export as csv or xlsx."), field="fmt")
    org = roster_organization(session, actor=actor, provider_org_id=provider_org_id)
    offers = session.scalars(
        sa.select(Offer).where(Offer.provider_org_id == org.id, Offer.status != "withdrawn").order_by(Offer.id)
    ).all()
    rows = [_export_row(r) for r in describe_offers(session, actor=actor, offers=list(offers))]
    stem = f"roster-{org.id}-{date.today().isoformat()}"
    content = import_rows.write_csv(rows) if fmt == "csv" else import_rows.write_xlsx(rows)
    return RosterFile(f"{stem}.{fmt}", CONTENT_TYPES[fmt], content)


def _export_row(r: OfferRecord) -> dict[str, Any]:
    personal = r.personal
    return {
        "reference": r.id, "kind": r.kind, "title": r.title, "summary": r.summary,
        "expert_name": personal.expert_name if personal else None,
        "expert_email": personal.expert_email if personal else None,
        "nationality": r.nationality, "gender": r.gender, "years_experience": r.years_experience,
        "areas": ";".join(r.areas), "skills": ";".join(r.skills),
        "languages": ";".join(f"{x.code}:{x.level}" for x in r.languages),
        "capacity": r.capacity, "available_from": r.available_from, "available_until": r.available_until,
        "lead_time_days": r.lead_time_days, "max_duration_months": r.max_duration_months,
        "monthly_cost_usd": r.monthly_cost_usd, "cost_bearer": r.cost_bearer,
        "screening_valid_until": r.screening_valid_until, "credentials_valid_until": r.credentials_valid_until,
        "past_deployments": import_rows.past_deployments_cell(d for d in r.past_deployments if d.proposal_id is None),
    }


def template_csv(*, today: date | None = None) -> bytes:
    """An example roster: one expert, one training; dates a little ahead so it imports as it is."""
    today = today or date.today()
    start, end = today.replace(day=1), today.replace(year=today.year + 1, day=1)
    rows = [
        {"kind": "individual_expert", "title": "Senior corrections adviser",
         "summary": "Twenty years running prisons; trained staff in three peace operations.",
         "expert_name": "Amina Odhiambo", "expert_email": "amina.odhiambo@example.org", "nationality": "KEN",
         "gender": "female", "years_experience": 20, "areas": "corrections;criminal_justice",
         "skills": "prison_management;corrections_training;pretrial_detention", "languages": "eng:C2;swa:native;fra:B2",
         "capacity": 1, "available_from": start, "available_until": end, "lead_time_days": 30,
         "max_duration_months": 12, "monthly_cost_usd": "6500.00", "cost_bearer": "provider",
         "screening_valid_until": end, "credentials_valid_until": end,
         "past_deployments": "LBR|UN Mission in Liberia|Prison adviser|2015-01-01|2016-06-30|4;"
                             "SSD|UN Mission in South Sudan|Corrections trainer|2018-03-01||"},
        {"kind": "training", "title": "Electoral dispute resolution course",
         "summary": "A two-week course for electoral commission staff, in French or English.",
         "areas": "elections;legal_aid", "skills": "electoral_dispute_resolution;access_to_justice",
         "languages": "fra:C2;eng:C1", "capacity": 3, "available_from": start, "lead_time_days": 45,
         "max_duration_months": 1, "cost_bearer": "third_party"},
    ]
    return import_rows.write_csv(rows)
